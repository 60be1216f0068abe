"""Filing (vireillepano) over the API: number, due date, department, validation."""

import datetime

import pytest
from django.utils import timezone

from aspa.requests.models import ServiceRequest, Status
from aspa.requests.workdays import add_working_days
from tests.factories.requests import OrganisationFactory, PersonFactory


def _filing(**overrides) -> dict:
    body = {"type": "application", "channel": "service_point", "service": "rakennuslupa",
            "description": "Haluan rakentaa saunan.", "language": "sv"}
    body.update(overrides)
    return body


def test_filed_request_is_received_numbered_and_due_in_target_working_days(api, catalogue):
    client = api("advisor")
    party = PersonFactory()
    response = client.post("requests", _filing(party=party.pk, product="poikkeamislupa"))

    assert response.status_code == 201, response.content
    body = response.json()
    today = timezone.localdate()
    assert body["number"] == f"ESI-{today.year}-000001"
    assert body["status"] == Status.RECEIVED
    assert body["due_date"] == add_working_days(today, 20).isoformat()
    # The department comes from the service when not given.
    assert (body["service"], body["department"], body["product"]) == ("rakennuslupa", "rakennusvalvonta",
                                                                      "poikkeamislupa")
    assert (body["type"], body["channel"], body["party"], body["language"]) == ("application", "service_point",
                                                                                party.pk, "sv")
    assert body["version"] == 1
    stored = ServiceRequest.objects.get(pk=body["id"])
    assert stored.created_by == client.user
    event = stored.events.get()
    assert (event.kind, event.to_status, event.channel) == ("filed", Status.RECEIVED, "service_point")


def test_request_without_service_belongs_to_the_centre_and_is_due_in_ten_days(api, catalogue):
    response = api("advisor").post("requests", _filing(service=None, type="question"))
    assert response.status_code == 201
    body = response.json()
    assert body["department"] == "aspa"
    assert body["due_date"] == add_working_days(timezone.localdate(), 10).isoformat()


def test_request_can_be_read_by_id_or_by_number(api, catalogue):
    client = api("advisor")
    created = client.post("requests", _filing()).json()
    assert client.get(f"requests/{created['id']}").json()["number"] == created["number"]
    assert client.get(f"requests/{created['number']}").json()["id"] == created["id"]
    assert client.get(f"requests/{created['number'].lower()}").json()["id"] == created["id"]


@pytest.mark.parametrize("field,value", [
    ("type", "complaint"), ("channel", "pigeon"), ("service", "moon-landing"), ("product", "nothing"),
    ("department", "ministry"),
])
def test_unknown_codes_are_refused_on_their_field(api, catalogue, field, value):
    response = api("advisor").post("requests", _filing(**{field: value}))
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not ServiceRequest.objects.exists()


def test_service_refuses_a_type_it_does_not_take(api, catalogue):
    # General advice takes questions only.
    response = api("advisor").post("requests", _filing(service="yleisneuvonta", type="application"))
    assert response.status_code == 422
    assert "type" in response.json()["error"]["fields"]


def test_service_refuses_a_channel_it_does_not_list(api, catalogue):
    catalogue.permit.channels.set([catalogue.web])
    response = api("advisor").post("requests", _filing(channel="phone"))
    assert response.status_code == 422
    assert "channel" in response.json()["error"]["fields"]


def test_product_of_another_service_is_refused(api, catalogue):
    response = api("advisor").post("requests", _filing(service="yleisneuvonta", type="question",
                                                       product="poikkeamislupa"))
    assert response.status_code == 422
    assert "product" in response.json()["error"]["fields"]


@pytest.mark.parametrize("missing", ["type", "channel", "description"])
def test_required_fields_are_named(api, catalogue, missing):
    body = _filing()
    del body[missing]
    response = api("advisor").post("requests", body)
    assert response.status_code == 422
    assert missing in response.json()["error"]["fields"]


def test_blank_description_is_refused(api, catalogue):
    response = api("advisor").post("requests", _filing(description="   "))
    assert response.status_code == 422
    assert "description" in response.json()["error"]["fields"]


def test_anonymous_filer_leaves_contact_details_checked_and_normalised(api, catalogue):
    response = api("advisor").post("requests", _filing(
        contact={"name": "Nimetön", "email": "Palaute@Example.FI", "phone": "040 123 4567"}))
    assert response.status_code == 201
    assert response.json()["contact"] == {"name": "Nimetön", "email": "palaute@example.fi", "phone": "+358401234567"}
    assert response.json()["party"] is None


@pytest.mark.parametrize("contact,field", [({"email": "not-an-address"}, "contact.email"),
                                          ({"phone": "12"}, "contact.phone")])
def test_bad_contact_details_are_refused(api, catalogue, contact, field):
    response = api("advisor").post("requests", _filing(contact=contact))
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_group_request_names_the_other_filers(api, catalogue):
    first, second, association = PersonFactory(), PersonFactory(), OrganisationFactory()
    response = api("advisor").post("requests", _filing(party=first.pk, co_parties=[second.pk, association.pk]))
    assert response.status_code == 201
    assert response.json()["co_parties"] == sorted([second.pk, association.pk])


def test_unknown_party_is_refused(api, catalogue):
    response = api("advisor").post("requests", _filing(party=999999))
    assert response.status_code == 422
    assert "party" in response.json()["error"]["fields"]


def test_an_expert_files_only_for_their_departments_customers_and_learns_nothing_of_others(api, catalogue):
    # An expert sees the customers with requests in their department; any other id is answered
    # exactly like one that does not exist, so filing is no way to find out who is a customer.
    expert = api("expert", department=catalogue.building)
    own, stranger = PersonFactory(), PersonFactory()
    api("advisor").post("requests", _filing(party=own.pk))
    refused = [expert.post("requests", _filing(**fields)) for fields in (
        {"party": stranger.pk}, {"party": 999999}, {"party": own.pk, "co_parties": [stranger.pk]})]
    assert [response.status_code for response in refused] == [422, 422, 422]
    assert refused[0].json()["error"] == refused[1].json()["error"]
    assert ServiceRequest.objects.filter(party=stranger).count() == 0
    assert expert.post("requests", _filing(party=own.pk)).status_code == 201


def test_retry_with_the_same_idempotency_key_files_one_request(api, catalogue):
    client = api("advisor")
    headers = {"Idempotency-Key": "9f1c-filing-1"}
    first = client.post("requests", _filing(), headers=headers)
    again = client.post("requests", _filing(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert ServiceRequest.objects.count() == 1


def test_resident_files_for_themselves(resident_api, catalogue):
    client = resident_api()
    response = client.post("requests", _filing(channel="web", language=None))
    assert response.status_code == 201, response.content
    assert response.json()["party"] == client.user.party_id
    # The customer's own language is the default.
    assert response.json()["language"] == client.user.party.language


def test_resident_cannot_file_for_someone_else(resident_api, catalogue):
    response = resident_api().post("requests", _filing(channel="web", party=PersonFactory().pk))
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


def test_number_carries_the_year_of_filing_in_finland(api, catalogue, monkeypatch):
    # 22:30 UTC on New Year's Eve is already 00:30 on 1 January in Helsinki.
    just_after_midnight = datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: just_after_midnight)
    body = api("advisor").post("requests", _filing()).json()
    assert body["number"] == "ESI-2027-000001"
    # New Year's Day is a holiday: the 20 working days start on 2 January.
    assert body["due_date"] == add_working_days(datetime.date(2027, 1, 1), 20).isoformat()
