"""An advisor records each contact: channel, customer, times, topics, outcome, linked requests."""

import datetime

import pytest
from django.utils import timezone

from aspa.audit.models import AuditEntry
from aspa.contacts import operations
from aspa.contacts.models import Contact
from aspa.identity.models import Role
from tests.factories.contacts import (
    ContactFactory,
    PersonFactory,
    ServiceRequestFactory,
    resident_with_party,
    token_client,
)


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def started():
    return timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=12)


def test_advisor_records_a_phone_call_with_its_topics_and_request(api, catalogue, started):
    advisor = api(Role.ADVISOR)
    party = PersonFactory()
    request = ServiceRequestFactory(party=party)
    response = advisor.post("contacts", {
        "channel": "phone", "party": party.pk, "started_at": _iso(started),
        "ended_at": _iso(started + datetime.timedelta(minutes=7, seconds=30)), "language": "sv",
        "topics": ["yleisneuvonta", "rakennuslupa"], "outcome": "request_filed",
        "notes": "Kysyi aukioloajoista.", "requests": [request.number],
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "phone"
    assert body["party"] == party.pk
    assert body["staff"] == advisor.user.username
    assert body["duration_seconds"] == 450
    assert body["language"] == "sv"
    assert body["topics"] == ["rakennuslupa", "yleisneuvonta"]
    assert body["outcome"] == "request_filed"
    assert body["requests"] == [request.number]
    assert body["notes"] == "Kysyi aukioloajoista."
    assert set(body) >= {"id", "started_at", "ended_at", "created_at"}
    contact = Contact.objects.get(pk=body["id"])
    assert contact.staff == advisor.user
    assert list(contact.requests.all()) == [request]


def test_recording_a_contact_with_a_customer_is_audited(api, catalogue, started):
    advisor = api(Role.ADVISOR)
    party = PersonFactory()
    body = advisor.post("contacts", {"channel": "service_point", "party": party.pk, "started_at": _iso(started)}).json()
    entry = AuditEntry.objects.get(object_type="contact", object_id=str(body["id"]), action="create")
    assert entry.party_id == party.pk
    assert entry.actor == advisor.user


def test_anonymous_contact_is_recorded_without_a_customer(advisor_api, catalogue, started):
    response = advisor_api.post("contacts", {"channel": "phone", "started_at": _iso(started), "outcome": "answered"})
    assert response.status_code == 201
    assert response.json()["party"] is None
    assert response.json()["ended_at"] is None
    assert response.json()["duration_seconds"] is None


def test_contact_without_a_start_starts_now(advisor_api, catalogue):
    before = timezone.now()
    body = advisor_api.post("contacts", {"channel": "phone"}).json()
    assert datetime.datetime.fromisoformat(body["started_at"]) >= before - datetime.timedelta(seconds=1)


@pytest.mark.parametrize("change,field", [
    ({"channel": "pigeon"}, "channel"),
    ({"ended_at": "2020-01-01T10:00:00+02:00"}, "ended_at"),
    ({"topics": ["no-such-service"]}, "topics"),
    ({"outcome": "request_filed"}, "requests"),
    ({"outcome": "forwarded"}, "requests"),
    ({"outcome": "maybe"}, "outcome"),
    ({"requests": ["ESI-1999-000001"]}, "requests"),
    ({"language": "de"}, "language"),
    ({"party": 987654}, "party"),
    ({"started_at": "2999-01-01T10:00:00+02:00"}, "started_at"),
])
def test_invalid_contact_is_refused_naming_the_field(advisor_api, catalogue, change, field):
    payload = {"channel": "phone", "started_at": "2021-06-01T10:00:00+03:00", **change}
    response = advisor_api.post("contacts", payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert Contact.objects.count() == 0


def test_every_problem_is_reported_at_once(advisor_api, catalogue):
    response = advisor_api.post("contacts", {"channel": "pigeon", "topics": ["nope"], "language": "xx"})
    assert set(response.json()["error"]["fields"]) == {"channel", "topics", "language"}


def test_resident_cannot_record_contacts(db, catalogue):
    resident, _party = resident_with_party()
    response = token_client(resident).post("contacts", {"channel": "phone"})
    assert response.status_code == 403
    assert Contact.objects.count() == 0


def test_retried_post_with_the_same_idempotency_key_records_one_contact(advisor_api, catalogue, started):
    payload = {"channel": "phone", "started_at": _iso(started)}
    headers = {"Idempotency-Key": "contact-retry-1"}
    first = advisor_api.post("contacts", payload, headers=headers)
    second = advisor_api.post("contacts", payload, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Contact.objects.count() == 1


def test_advisor_ends_a_running_contact_and_sets_its_outcome(advisor_api, catalogue, started):
    contact_id = advisor_api.post("contacts", {"channel": "phone", "started_at": _iso(started)}).json()["id"]
    ended = started + datetime.timedelta(minutes=3)
    response = advisor_api.patch(f"contacts/{contact_id}", {"ended_at": _iso(ended), "outcome": "answered",
                                                            "topics": ["yleisneuvonta"]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["duration_seconds"] == 180
    assert body["outcome"] == "answered"
    assert body["topics"] == ["yleisneuvonta"]


def test_ending_before_the_start_is_refused_and_changes_nothing(advisor_api, catalogue, started):
    contact_id = advisor_api.post("contacts", {"channel": "phone", "started_at": _iso(started)}).json()["id"]
    response = advisor_api.patch(f"contacts/{contact_id}", {"ended_at": _iso(started - datetime.timedelta(minutes=1)),
                                                            "outcome": "answered"})
    assert response.status_code == 422
    assert "ended_at" in response.json()["error"]["fields"]
    contact = Contact.objects.get(pk=contact_id)
    assert contact.ended_at is None and contact.outcome == ""


def test_linking_requests_adds_and_never_duplicates(advisor_api, catalogue, started):
    first, second = ServiceRequestFactory(), ServiceRequestFactory()
    contact_id = advisor_api.post("contacts", {"channel": "phone", "started_at": _iso(started),
                                               "requests": [first.number]}).json()["id"]
    response = advisor_api.patch(f"contacts/{contact_id}", {"link_requests": [second.number, first.number],
                                                            "outcome": "forwarded"})
    assert response.status_code == 200
    assert response.json()["requests"] == sorted([first.number, second.number])
    assert Contact.objects.get(pk=contact_id).requests.count() == 2


def test_setting_request_filed_needs_a_linked_request(advisor_api, catalogue, started):
    contact_id = advisor_api.post("contacts", {"channel": "phone", "started_at": _iso(started)}).json()["id"]
    response = advisor_api.patch(f"contacts/{contact_id}", {"outcome": "request_filed"})
    assert response.status_code == 422
    assert "requests" in response.json()["error"]["fields"]


def test_another_advisor_cannot_change_someone_elses_contact_but_a_supervisor_can(api, catalogue):
    contact = ContactFactory(outcome="")
    assert api(Role.ADVISOR).patch(f"contacts/{contact.pk}", {"outcome": "answered"}).status_code == 403
    response = api(Role.SUPERVISOR).patch(f"contacts/{contact.pk}", {"outcome": "answered"})
    assert response.status_code == 200
    assert response.json()["outcome"] == "answered"


def test_link_request_operation_ties_a_contact_to_a_request(catalogue):
    contact = ContactFactory()
    request = ServiceRequestFactory()
    operations.link_request(contact.staff, contact, request)
    operations.link_request(contact.staff, contact, request)
    assert list(contact.requests.all()) == [request]


def test_time_without_a_zone_is_taken_as_finnish_time(catalogue):
    contact = ContactFactory()
    recorded = operations.record_contact(contact.staff, channel="phone", started_at=datetime.datetime(2024, 6, 3, 9, 30))
    assert timezone.localtime(recorded.started_at).hour == 9
    assert recorded.started_at.utcoffset() is not None


def test_an_expert_records_contacts_only_with_customers_they_may_read(api, catalogue, started):
    # Another department's customer is answered like an unknown id: no way to find out who is one.
    expert = api(Role.EXPERT, department=catalogue.building)
    own, stranger = PersonFactory(), PersonFactory()
    ServiceRequestFactory(party=own, department=catalogue.building)
    answers = [expert.post("contacts", {"channel": "phone", "party": party, "started_at": _iso(started)})
               for party in (stranger.pk, 99999999, own.pk)]
    assert [answer.status_code for answer in answers] == [422, 422, 201]
    assert answers[0].json()["error"] == answers[1].json()["error"]
    assert answers[2].json()["party"] == own.pk
