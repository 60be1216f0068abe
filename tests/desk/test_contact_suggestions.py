"""The contact screen suggests topics from the notes: the routing classifier's best services with
their departments and confidence, each a checkbox that adds the service as a topic. Without a
classifier, or without notes, it says nothing; a failing classifier never breaks the screen."""

import re

import pytest

from aspa.contacts.models import Contact
from aspa.requests.models import ServiceRequest
from aspa.routing import operations
from aspa.routing import queries as routing_queries
from tests.desk.contact_factories import make_contact_world
from tests.routing.conftest import synthetic_examples

pytestmark = pytest.mark.django_db

NOTES = "Asiakas rakentaa autotallia ja kysyy, tarvitaanko rakennuslupa."
URL = "/desk/contacts/suggestions/"


@pytest.fixture
def world(catalogue, settings):
    # Nothing is classified by itself at filing: the service comes from the advisor's choice.
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01
    return make_contact_world(catalogue)


@pytest.fixture
def trained(world):
    return operations.train_classifier(synthetic_examples(), source="tests", trained_by="tests")


@pytest.fixture
def advisor(world, signed_in):
    return signed_in(world.desk.advisor)


def suggested(html: str) -> list[tuple[str, str]]:
    """(service code, label text) of each suggestion checkbox, best first."""
    boxes = re.findall(r'<input[^>]*id="suggested-([^"]+)" name="topics" value="\1"[^>]*>\s*'
                       r'<label[^>]*>([^<]*)</label>', html)
    return [(code, " ".join(label.split())) for code, label in boxes]


def test_notes_about_a_permit_suggest_building_permits_first_with_confidence(world, trained, advisor):
    part = advisor.get(URL, {"notes": NOTES, "party": world.desk.customer.pk}).content.decode()
    found = suggested(part)
    assert [code for code, _label in found][:1] == ["rakennuslupa"]
    code, label = found[0]
    assert re.fullmatch(r"Rakennuslupa \(en\) – Rakennusvalvonta \(en\) \(confidence \d{1,3} %\)", label), label
    # The screen reader hears how many there are.
    assert re.search(r'hx-swap-oob="innerHTML:#suggestion-status">\d services? suggested from the notes\.', part)


def test_a_topic_already_chosen_shows_ticked(trained, advisor):
    part = advisor.get(URL, {"notes": NOTES, "topics": ["rakennuslupa"]}).content.decode()
    assert re.search(r'id="suggested-rakennuslupa"[^>]* checked>', part)
    assert not re.search(r'id="suggested-yleisneuvonta"[^>]* checked>', part)


def test_without_a_classifier_or_notes_nothing_is_said(world, advisor):
    part = advisor.get(URL, {"notes": NOTES}).content.decode()
    assert suggested(part) == [] and "suggested from the notes" not in part
    operations.train_classifier(synthetic_examples(), source="tests", trained_by="tests")
    part = advisor.get(URL, {"notes": "   "}).content.decode()
    assert suggested(part) == [] and "suggested from the notes" not in part


def test_a_failing_classifier_does_not_break_the_screen(world, trained, advisor, monkeypatch):
    advisor.post("/desk/contacts/new/", {"channel": "phone"})
    contact = Contact.objects.latest("id")

    def broken(*args, **kwargs):
        raise RuntimeError("the stored model cannot be read")

    monkeypatch.setattr(routing_queries, "suggest", broken)
    response = advisor.get(URL, {"notes": NOTES})
    assert response.status_code == 200 and suggested(response.content.decode()) == []
    refused = advisor.post(f"/desk/contacts/{contact.pk}/", {"channel": "phone", "party": "anonymous",
                                                              "notes": NOTES, "outcome": "answered"})
    assert refused.status_code == 422 and "Pick at least one topic." in refused.content.decode()


def test_a_refused_contact_shows_the_suggestions_for_its_notes_again(world, trained, advisor):
    advisor.post("/desk/contacts/new/", {"channel": "phone"})
    contact = Contact.objects.latest("id")
    refused = advisor.post(f"/desk/contacts/{contact.pk}/", {"channel": "phone", "party": "anonymous",
                                                              "notes": NOTES, "outcome": "answered"})
    assert refused.status_code == 422
    assert "rakennuslupa" in [code for code, _label in suggested(refused.content.decode())]


@pytest.mark.parametrize("who", ["resident", "anonymous"])
def test_only_the_desk_may_ask_for_suggestions(world, trained, signed_in, client, who):
    if who == "resident":
        assert signed_in(world.desk.resident).get(URL, {"notes": NOTES}).status_code == 403
    else:
        response = client.get(URL, {"notes": NOTES})
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_suggested_service_ticked_twice_is_filed_once(world, trained, advisor):
    advisor.post("/desk/contacts/new/", {"channel": "phone"})
    contact = Contact.objects.latest("id")
    # Ticked in the suggestions and again in the topic search: the form sends the code twice.
    response = advisor.post(f"/desk/contacts/{contact.pk}/", {
        "channel": "phone", "party": world.desk.customer.pk, "topics": ["rakennuslupa", "rakennuslupa"],
        "notes": NOTES, "outcome": "request_filed", "request_type": "application"})
    assert response.status_code == 302, response.content.decode()[:2000]
    filed = ServiceRequest.objects.get(contacts=contact)
    assert (filed.service.code, filed.description) == ("rakennuslupa", NOTES)
    assert list(Contact.objects.get(pk=contact.pk).topics.values_list("code", flat=True)) == ["rakennuslupa"]


def test_the_topic_list_takes_a_ticked_suggestion_quietly(world, advisor):
    part = advisor.get("/desk/contacts/topics/", {"topics": ["rakennuslupa"], "topic_search": "neuvonta",
                                                  "quiet": "1"}).content.decode()
    assert re.search(r'id="topic-rakennuslupa"[^>]* checked>', part) and 'id="topic-yleisneuvonta"' in part
    assert "topic-status" not in part
