"""Who sees which request, who may act on it, and the audit trail of staff reads."""

import pytest

from aspa.audit.models import AuditEntry
from aspa.identity.models import Role
from aspa.requests import operations
from aspa.requests.models import ServiceRequest, Status
from tests.factories.identity import UserFactory
from tests.factories.requests import OrganisationFactory, PersonFactory, file

STAFF_ACTIONS = [
    ("take", {}), ("resolve", {"resolution": "Itse ratkaisin."}), ("close", {}),
    ("classify", {"service": "rakennuslupa"}), ("forward", {"to_organisation": "kela"}),
    ("request_information", {"question": "?"}), ("assign", {"team": "luvat"}),
    ("redirect", {"guidance": "muualle"}), ("reopen", {"reason": "x"}),
]


def test_resident_cannot_read_another_residents_request(resident_api, advisor):
    mine, theirs = resident_api(), resident_api()
    service_request = file(advisor, party=theirs.user.party_id)
    for path in ["", "/events", "/messages", "/attachments"]:
        assert mine.get(f"requests/{service_request.pk}{path}").status_code == 404
    assert mine.get(f"requests/{service_request.number}").status_code == 404
    assert theirs.get(f"requests/{service_request.number}").status_code == 200


def test_resident_lists_only_their_own_requests(resident_api, advisor):
    client = resident_api()
    own = file(advisor, party=client.user.party_id)
    file(advisor, party=PersonFactory().pk)
    file(advisor)
    listed = client.get("requests").json()
    assert [item["number"] for item in listed["items"]] == [own.number]
    assert listed["count"] == 1


def test_resident_cannot_message_or_attach_to_another_request(resident_api, advisor):
    client = resident_api()
    service_request = file(advisor, party=PersonFactory().pk)
    assert client.post(f"requests/{service_request.pk}/messages", {"body": "hei"}).status_code == 404
    assert ServiceRequest.objects.get(pk=service_request.pk).messages.count() == 0


@pytest.mark.parametrize("action,fields", STAFF_ACTIONS, ids=[action for action, _ in STAFF_ACTIONS])
def test_resident_cannot_run_staff_actions_on_their_own_request(resident_api, advisor, action, fields):
    client = resident_api()
    service_request = file(advisor, party=client.user.party_id)
    response = client.post(f"requests/{service_request.pk}/actions",
                           {"action": action, "version": service_request.version, **fields})
    assert response.status_code == 403
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.status, stored.version) == (Status.RECEIVED, 1)


def test_expert_sees_their_own_department_only(api, catalogue, advisor):
    expert = api("expert", department=catalogue.building)
    building = file(advisor, type="application", service="rakennuslupa")
    centre = file(advisor)
    assert expert.get(f"requests/{building.pk}").status_code == 200
    assert expert.get(f"requests/{centre.pk}").status_code == 404
    assert [item["number"] for item in expert.get("requests").json()["items"]] == [building.number]
    # Nor can they act on what they cannot see.
    response = expert.post(f"requests/{centre.pk}/actions", {"action": "take", "version": 1})
    assert response.status_code == 404


def test_expert_sees_requests_of_their_team_and_those_assigned_to_them(api, catalogue, advisor):
    # A centre expert who also sits in the building permits team.
    expert = api("expert", department=catalogue.centre, team=catalogue.building_team)
    for_team = file(advisor, type="application", service="rakennuslupa")
    operations.assign(advisor, for_team, version=1, team="luvat")
    for_them = file(advisor, type="application", service="rakennuslupa")
    operations.assign(advisor, for_them, version=1, assignee=expert.user.pk)
    file(advisor, type="application", service="rakennuslupa")  # the building department's, not theirs

    numbers = {item["number"] for item in expert.get("requests").json()["items"]}

    assert numbers == {for_team.number, for_them.number}


def test_advisor_sees_every_request(api, catalogue, advisor):
    file(advisor)
    file(advisor, type="application", service="rakennuslupa")
    assert api("advisor").get("requests").json()["count"] == 2


def test_staff_reading_a_persons_request_is_audited(api, catalogue, advisor):
    client = api("supervisor")
    person_request = file(advisor, party=PersonFactory().pk)
    client.get(f"requests/{person_request.number}")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type) == (client.user, "read", "service_request")
    assert (entry.object_id, entry.party_id) == (str(person_request.pk), person_request.party_id)


def test_reading_an_organisations_or_anonymous_request_is_not_a_personal_data_read(api, catalogue, advisor):
    client = api("advisor")
    for service_request in (file(advisor, party=OrganisationFactory().pk), file(advisor)):
        assert client.get(f"requests/{service_request.pk}").status_code == 200
    assert not AuditEntry.objects.exists()


def test_list_writes_one_audit_row_per_request_of_a_person(api, catalogue, advisor):
    client = api("advisor")
    people = [file(advisor, party=PersonFactory().pk) for _ in range(3)]
    file(advisor, party=OrganisationFactory().pk)
    file(advisor)
    assert client.get("requests").json()["count"] == 5
    audited = AuditEntry.objects.filter(object_type="service_request")
    assert sorted((e.object_id, e.party_id) for e in audited) == sorted((str(r.pk), r.party_id) for r in people)


def test_residents_reading_their_own_request_leave_no_staff_audit_row(resident_api, advisor):
    client = resident_api()
    service_request = file(advisor, party=client.user.party_id)
    assert client.get(f"requests/{service_request.pk}").status_code == 200
    assert not AuditEntry.objects.exists()


def test_reading_history_and_messages_is_audited_too(api, catalogue, advisor):
    client = api("advisor")
    service_request = file(advisor, party=PersonFactory().pk)
    for path in ["/events", "/messages", "/attachments"]:
        client.get(f"requests/{service_request.pk}{path}")
    assert AuditEntry.objects.filter(object_id=str(service_request.pk)).count() == 3


def test_expert_without_department_sees_only_what_is_assigned_to_them(api, catalogue, advisor):
    lone = UserFactory(role=Role.EXPERT)
    client = api(user=lone)
    file(advisor)
    theirs = file(advisor)
    operations.assign(advisor, theirs, version=1, assignee=lone.pk)
    assert [item["number"] for item in client.get("requests").json()["items"]] == [theirs.number]
