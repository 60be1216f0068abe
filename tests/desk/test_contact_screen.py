"""The "New contact" screen: start the timer, find the customer and the topics while typing, and end the
contact with one of four outcomes — answered, a request filed, forwarded with a contact request,
or redirected elsewhere — each checked on the server with the errors next to the fields."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from aspa.contacts.models import Contact, ContactRequest
from aspa.requests.models import ServiceRequest
from tests.desk.contact_factories import CUSTOMER_EMAIL, CUSTOMER_PHONE_TYPED, make_contact_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogue):
    return make_contact_world(catalogue)


@pytest.fixture
def advisor(world, signed_in):
    return signed_in(world.desk.advisor)


def start(client, **data) -> Contact:
    response = client.post("/desk/contacts/new/", {"channel": "phone", **data})
    assert response.status_code == 302
    contact = Contact.objects.latest("id")
    assert response["Location"] == f"/desk/contacts/{contact.pk}/"
    return contact


def finish(client, contact, **data):
    values = {"channel": "phone", "party": "anonymous", "topics": ["yleisneuvonta"], "notes": "Kysyi aukioloajoista.",
              "outcome": "answered"}
    values.update(data)
    return client.post(f"/desk/contacts/{contact.pk}/", {key: value for key, value in values.items()
                                                          if value is not None})


def error_of(response, field: str) -> str:
    """The error text shown next to a field (its id is the field's id plus -error)."""
    html = response.content.decode()
    marker = f'id="id_{field}-error">'
    assert marker in html, f"no error shown next to {field}"
    return html.split(marker, 1)[1].split("</p>", 1)[0]


def test_starting_a_contact_keeps_the_start_time_and_remembers_the_advisors_post(world, advisor):
    page = advisor.get("/desk/contacts/new/")
    assert page.status_code == 200
    assert 'value="service_point" checked' in page.content.decode()
    before = timezone.now()
    contact = start(advisor)
    assert contact.ended_at is None and contact.started_at >= before
    assert (contact.channel.code, contact.staff, contact.party) == ("phone", world.desk.advisor, None)
    screen = advisor.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert 'role="timer"' in screen
    assert 'id="id_channel_phone" name="channel" value="phone" checked' in screen
    # The phone is now the advisor's post: the next contact starts there.
    assert 'value="phone" checked' in advisor.get("/desk/contacts/new/").content.decode()


def test_opened_from_a_customer_the_contact_is_about_them(world, advisor):
    page = advisor.get("/desk/contacts/new/", {"party": world.desk.customer.pk})
    assert "Maija Meikäläinen" in page.content.decode()
    contact = start(advisor, party=world.desk.customer.pk)
    assert contact.party == world.desk.customer
    screen = advisor.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert f'value="{world.desk.customer.pk}" checked' in screen
    assert advisor.get("/desk/contacts/new/", {"party": 999_999}).status_code == 404


def test_answered_ends_the_contact_resolved_at_first_contact(world, advisor):
    contact = start(advisor)
    response = finish(advisor, contact, party=world.desk.customer.pk, topics=["yleisneuvonta", "rakennuslupa"])
    assert response.status_code == 302
    assert response["Location"] == f"/desk/contacts/{contact.pk}/done/"
    contact.refresh_from_db()
    assert contact.outcome == "answered" and contact.ended_at is not None
    assert contact.party == world.desk.customer
    assert sorted(contact.topics.values_list("code", flat=True)) == ["rakennuslupa", "yleisneuvonta"]
    done = advisor.get(response["Location"]).content.decode()
    assert "Answered – resolved at first contact" in done
    assert 'href="/desk/contacts/new/"' in done and 'href="/desk/"' in done
    # An ended contact is not reopened: its screen leads to the confirmation.
    assert advisor.get(f"/desk/contacts/{contact.pk}/")["Location"] == f"/desk/contacts/{contact.pk}/done/"


def test_filing_a_request_prefills_it_from_the_contact_and_shows_its_number(world, advisor):
    contact = start(advisor)
    response = finish(advisor, contact, party=world.desk.customer.pk, topics=["rakennuslupa"], outcome="request_filed",
                      request_type="application", notes="Hakee lupaa autotallille.")
    assert response.status_code == 302
    filed = ServiceRequest.objects.get(contacts=contact)
    assert (filed.party, filed.service.code, filed.type.code, filed.channel.code, filed.description) == (
        world.desk.customer, "rakennuslupa", "application", "phone", "Hakee lupaa autotallille.")
    contact.refresh_from_db()
    assert contact.outcome == "request_filed"
    assert filed.number in advisor.get(response["Location"]).content.decode()


def test_forwarding_files_forwards_and_leaves_a_contact_request(world, advisor):
    contact = start(advisor)
    due = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = finish(advisor, contact, party=world.desk.customer.pk, topics=["rakennuslupa"], outcome="forwarded",
                      request_type="question", notes="Kysyy autotallin luvasta.",
                      forward_to=f"team:{world.catalogue.building_team.code}", about="", due_at=due,
                      preferred_channel="phone")
    assert response.status_code == 302, response.content.decode()[:3000]
    forwarded = ServiceRequest.objects.get(contacts=contact)
    assert forwarded.status == "forwarded" and forwarded.team == world.catalogue.building_team
    contact_request = ContactRequest.objects.get()
    assert (contact_request.contact, contact_request.service_request, contact_request.party) == (
        contact, forwarded, world.desk.customer)
    assert contact_request.team == world.catalogue.building_team
    # "About what" left empty: the notes say it.
    assert contact_request.about == "Kysyy autotallin luvasta."
    assert timezone.localtime(contact_request.due_at).strftime("%Y-%m-%dT%H:%M") == due
    contact.refresh_from_db()
    assert contact.outcome == "forwarded"
    done = advisor.get(response["Location"]).content.decode()
    assert forwarded.number in done and "Lupatiimi" in done


def test_redirecting_records_the_guidance_and_emails_the_customer(world, advisor, django_capture_on_commit_callbacks):
    contact = start(advisor)
    guidance_part = advisor.get("/desk/contacts/guidance/", {"organisation": "kela"}).content.decode()
    assert "service number" in guidance_part
    with django_capture_on_commit_callbacks(execute=True):
        response = finish(advisor, contact, party=world.desk.customer.pk, outcome="redirected",
                          request_type="question", notes="Kysyi asumistuesta.", organisation="kela",
                          guidance="Neuvottu soittamaan Kelaan.", message="Kelan palvelunumero on 020 692 201.")
    assert response.status_code == 302
    redirected = ServiceRequest.objects.get(contacts=contact)
    assert (redirected.status, redirected.redirected_to, redirected.guidance) == (
        "redirected", world.kela, "Neuvottu soittamaan Kelaan.")
    assert [message.to for message in mail.outbox] == [[CUSTOMER_EMAIL]]
    # The customer is identified: the message waits in the e-service, the email only points there.
    assert "020 692 201" not in mail.outbox[0].body
    assert f"/portal/requests/{redirected.number}/" in mail.outbox[0].body
    contact.refresh_from_db()
    assert contact.outcome == "redirected"


@pytest.mark.parametrize(("data", "field", "text"), [
    ({"topics": None}, "topics", "Pick at least one topic."),
    ({"party": "999999"}, "party", "No such customer."),
    ({"outcome": "redirected", "request_type": "question", "organisation": "kela", "guidance": ""},
     "guidance", "This field is required."),
    ({"outcome": "forwarded", "request_type": "question", "forward_to": "department:rakennusvalvonta",
      "due_at": "2020-01-01T12:00", "caller_name": "Pekka", "caller_phone": "040 765 4321"},
     "due_at", "The contact-by time cannot be in the past."),
    ({"outcome": "request_filed", "notes": "", "request_type": "question"}, "notes", "This field is required."),
    ({"outcome": "forwarded", "request_type": "question", "forward_to": "department:rakennusvalvonta",
      "due_at": "2099-01-01T12:00"}, "caller_name", "Give the caller"),
    ({"outcome": "request_filed", "request_type": "application", "topics": ["yleisneuvonta"]},
     "request_type", "does not take requests of this type"),
])
def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_recorded(world, advisor, data, field, text):
    contact = start(advisor)
    response = finish(advisor, contact, **data)
    assert response.status_code == 422
    assert text in error_of(response, field)
    assert 'id="contact-errors"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.ended_at is None and contact.outcome == ""
    assert not ServiceRequest.objects.filter(contacts=contact).exists()
    assert not ContactRequest.objects.exists()


def test_the_screen_speaks_the_advisors_language(world, signed_in):
    client = signed_in(world.desk.advisor, language="sv")
    contact = start(client)
    response = finish(client, contact, topics=None)
    assert response.status_code == 422
    assert '<html lang="sv">' in response.content.decode()


def test_a_second_submit_of_the_same_contact_files_nothing_more(world, advisor):
    contact = start(advisor)
    finish(advisor, contact, outcome="request_filed", request_type="question")
    again = finish(advisor, contact, outcome="request_filed", request_type="question")
    assert again.status_code == 302
    assert ServiceRequest.objects.filter(contacts=contact).count() == 1


def test_another_advisors_contact_is_not_theirs_to_end(world, signed_in):
    contact = start(signed_in(world.desk.advisor))
    colleague = signed_in(world.desk.colleague)
    assert colleague.get(f"/desk/contacts/{contact.pk}/").status_code == 404
    assert finish(colleague, contact).status_code == 404


def test_customers_are_found_by_a_phone_number_typed_with_spaces_and_the_only_match_is_chosen(world, advisor):
    part = advisor.get("/desk/contacts/customers/", {"q": CUSTOMER_PHONE_TYPED, "party": "anonymous"}).content.decode()
    assert "Maija Meikäläinen" in part
    assert f'value="{world.desk.customer.pk}" checked' in part
    assert "1 customer found." in part
    half_typed = advisor.get("/desk/contacts/customers/", {"q": "040 12"}).content.decode()
    assert "No customer found" in half_typed


def test_topics_are_found_by_name_in_the_advisors_language_and_by_keyword(world, signed_in):
    english = signed_in(world.desk.advisor).get("/desk/contacts/topics/", {"topic_search": "(en)"}).content.decode()
    assert "Yleisneuvonta (en)" in english and "Rakennuslupa (en)" in english
    swedish = signed_in(world.desk.advisor, language="sv")
    by_keyword = swedish.get("/desk/contacts/topics/", {"topic_search": "bygglov"}).content.decode()
    assert "Rakennuslupa (sv)" in by_keyword and "Yleisneuvonta" not in by_keyword
    # A topic already picked stays on the list, checked, whatever is typed next.
    kept = swedish.get("/desk/contacts/topics/", {"topic_search": "bygglov", "topics": "yleisneuvonta"}).content.decode()
    assert 'value="yleisneuvonta" checked' in kept and 'value="rakennuslupa"' in kept


def test_residents_have_no_contact_screen(world, signed_in):
    resident = signed_in(world.desk.resident)
    assert resident.get("/desk/contacts/new/").status_code == 403
    assert resident.post("/desk/contacts/new/", {"channel": "phone"}).status_code == 403
    assert resident.get("/desk/contacts/customers/", {"q": "Maija"}).status_code == 403
    assert not Contact.objects.exists()
