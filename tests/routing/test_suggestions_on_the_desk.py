"""The desk's request page shows the rule that routed the request and the classifier's ranked
suggestions; one click applies a suggestion through the classify action."""

import re

from django.urls import reverse

from aspa.requests.models import ServiceRequest
from tests.factories.identity import UserFactory
from tests.factories.requests import file


def _page(client, service_request) -> str:
    response = client.get(reverse("desk:request", args=[service_request.number]))
    assert response.status_code == 200
    return response.content.decode()


def _unclassified(advisor, text="Tarvitseeko uusi autotalli rakennusluvan?"):
    return file(advisor, service=None, type="question", channel="email", description=text)


def test_ranked_suggestions_with_confidence_and_apply_buttons(client, settings, catalogue, trained):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    client.force_login(advisor)
    page = _page(client, _unclassified(advisor))
    assert "Suggested services" in page
    section = page[page.index("Suggested services"):]
    # Building permits first, then general advice, each with its confidence and its own button.
    applied = re.findall(r'name="service" value="([^"]+)"', section)
    assert applied == ["rakennuslupa", "yleisneuvonta"]
    assert len(re.findall(r"confidence \d+ %", section)) == 2


def test_apply_classifies_the_request_and_the_history_shows_it(client, settings, catalogue, trained, publish):
    publish()
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    client.force_login(advisor)
    service_request = _unclassified(advisor)
    response = client.post(reverse("desk:request_act", args=[service_request.number, "classify"]),
                           {"version": service_request.version, "service": "rakennuslupa",
                            "department": "rakennusvalvonta"})
    assert response.status_code == 302
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.service.code, stored.team.code) == ("rakennuslupa", "luvat")
    assert list(stored.events.values_list("kind", flat=True))[-2:] == ["classify", "routed"]
    page = _page(client, stored)
    assert "Routed by rule 2 of the routing rules (version 1)" in page
    assert "(the current service)" in page


def test_without_a_classifier_the_panel_shows_no_suggestions(client, catalogue):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    client.force_login(advisor)
    page = _page(client, _unclassified(advisor))
    assert "Suggested services" not in page


def test_a_closed_request_shows_suggestions_but_no_apply(client, settings, catalogue, trained):
    from aspa.requests import operations

    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    client.force_login(advisor)
    service_request = _unclassified(advisor)
    operations.resolve(advisor, service_request, version=service_request.version, resolution="Neuvottu.")
    page = _page(client, service_request)
    assert "Suggested services" in page
    assert 'name="service" value="rakennuslupa"' not in page


def test_an_automatically_applied_suggestion_is_explained(client, settings, catalogue, trained):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 0.5
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    client.force_login(advisor)
    stored = ServiceRequest.objects.get(pk=_unclassified(advisor).pk)
    assert stored.service.code == "rakennuslupa"
    page = _page(client, stored)
    assert re.search(r"The service was chosen automatically from the description \(confidence \d+ %\)", page)
