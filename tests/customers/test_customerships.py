"""Which services a customer uses (asiakkuus): recorded, changed, ended, read with an audit row."""

import datetime

import pytest
from django.utils import timezone

from aspa.audit.models import AuditEntry
from aspa.customers.models import Customership
from aspa.identity.models import Role
from tests.factories.customers import CustomershipFactory, PersonFactory


@pytest.fixture
def party(db):
    return PersonFactory()


def test_customership_is_recorded_and_listed(advisor_api, party):
    response = advisor_api.post(f"parties/{party.pk}/customerships",
                                {"service": "rakennuslupa", "since": "2023-04-01", "note": "omakotitalo"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["service"], body["status"], body["started_on"], body["ended_on"]) == (
        "rakennuslupa", "active", "2023-04-01", None)
    listed = advisor_api.get(f"parties/{party.pk}/customerships").json()
    assert [item["id"] for item in listed] == [body["id"]]
    assert AuditEntry.objects.filter(action="create", object_type="customership", party_id=party.pk).count() == 1


def test_start_date_defaults_to_today(advisor_api, party):
    body = advisor_api.post(f"parties/{party.pk}/customerships", {"service": "yleisneuvonta"}).json()
    assert body["started_on"] == timezone.localdate().isoformat()


def test_the_same_customership_twice_is_a_duplicate(advisor_api, party):
    payload = {"service": "rakennuslupa", "started_on": "2023-04-01"}
    assert advisor_api.post(f"parties/{party.pk}/customerships", payload).status_code == 201
    response = advisor_api.post(f"parties/{party.pk}/customerships", payload)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"
    assert Customership.objects.count() == 1


def test_unknown_service_is_a_field_error(advisor_api, party):
    response = advisor_api.post(f"parties/{party.pk}/customerships", {"service": "kuuraketti"})
    assert response.status_code == 422
    assert "service" in response.json()["error"]["fields"]


def test_ending_a_customership_dates_it_today(advisor_api, party, catalogue):
    customership = CustomershipFactory(party=party, service=catalogue.permit)
    response = advisor_api.patch(f"parties/{party.pk}/customerships/{customership.pk}", {"status": "ended"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended"
    assert response.json()["ended_on"] == timezone.localdate().isoformat()
    assert AuditEntry.objects.filter(action="update", object_type="customership",
                                     object_id=str(customership.pk)).count() == 1


def test_end_before_start_is_refused(advisor_api, party, catalogue):
    customership = CustomershipFactory(party=party, service=catalogue.permit, started_on=datetime.date(2024, 5, 1))
    response = advisor_api.patch(f"parties/{party.pk}/customerships/{customership.pk}",
                                 {"status": "ended", "ended_on": "2024-04-30"})
    assert response.status_code == 422
    assert "ended_on" in response.json()["error"]["fields"]
    customership.refresh_from_db()
    assert customership.status == "active"


def test_customership_of_another_party_is_not_found(advisor_api, party, catalogue):
    customership = CustomershipFactory(service=catalogue.permit)
    response = advisor_api.patch(f"parties/{party.pk}/customerships/{customership.pk}", {"status": "ended"})
    assert response.status_code == 404


def test_reading_customerships_is_an_audited_read(api, party, catalogue):
    CustomershipFactory(party=party, service=catalogue.permit)
    CustomershipFactory(party=party, service=catalogue.advice)
    supervisor = api(Role.SUPERVISOR)
    assert len(supervisor.get(f"parties/{party.pk}/customerships").json()) == 2
    [entry] = AuditEntry.objects.filter(action="read")
    assert (entry.party_id, entry.actor) == (party.pk, supervisor.user)
    assert entry.purpose.endswith("/customerships")


def test_resident_sees_their_own_customerships_unaudited(resident_api, party, catalogue):
    CustomershipFactory(party=party, service=catalogue.permit)
    client = resident_api(party)
    assert [item["service"] for item in client.get(f"parties/{party.pk}/customerships").json()] == ["rakennuslupa"]
    assert not AuditEntry.objects.exists()
    assert client.post(f"parties/{party.pk}/customerships", {"service": "yleisneuvonta"}).status_code == 403


def test_expert_reads_but_does_not_record_customerships(api, party, catalogue, file_request):
    file_request(party, catalogue.building)
    expert = api(Role.EXPERT, department=catalogue.building)
    assert expert.get(f"parties/{party.pk}/customerships").status_code == 200
    assert expert.post(f"parties/{party.pk}/customerships", {"service": "rakennuslupa"}).status_code == 403
