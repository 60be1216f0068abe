"""Centre-wide staff see every contact, an expert those about their department's requests or
recorded by themselves, a resident only their own."""

import pytest

from aspa.identity.models import Role
from tests.factories.contacts import (
    ContactFactory,
    ServiceRequestFactory,
    resident_with_party,
    token_client,
)
from tests.factories.identity import UserFactory


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN])
def test_centre_wide_staff_see_every_contact(api, catalogue, role):
    contacts = [ContactFactory(), ContactFactory(party=None)]
    client = api(role)
    assert _ids(client.get("contacts")) == {c.pk for c in contacts}
    assert client.get(f"contacts/{contacts[0].pk}").status_code == 200


def test_resident_sees_only_their_own_contacts(db, catalogue):
    resident, party = resident_with_party()
    own = ContactFactory(party=party)
    other = ContactFactory()
    client = token_client(resident)
    assert _ids(client.get("contacts")) == {own.pk}
    assert client.get(f"contacts/{own.pk}").status_code == 200
    assert client.get(f"contacts/{other.pk}").status_code == 404


def test_resident_does_not_see_staff_notes_or_names(db, catalogue):
    resident, party = resident_with_party()
    own = ContactFactory(party=party, notes="Sisäinen muistiinpano")
    body = token_client(resident).get(f"contacts/{own.pk}").json()
    assert body["notes"] is None
    assert body["staff"] is None


def test_resident_cannot_widen_the_list_with_a_filter(db, catalogue):
    resident, party = resident_with_party()
    other = ContactFactory()
    assert _ids(token_client(resident).get("contacts", {"party": other.party_id})) == set()


def test_resident_without_a_customer_record_sees_nothing(db, catalogue):
    ContactFactory()
    resident = UserFactory(role=Role.RESIDENT)
    assert _ids(token_client(resident).get("contacts")) == set()


def test_expert_sees_contacts_about_their_departments_requests_and_their_own(api, catalogue):
    expert = api(Role.EXPERT, department=catalogue.building)
    about_permit = ContactFactory(requests=[ServiceRequestFactory(service=catalogue.permit)])
    recorded_by_expert = ContactFactory(staff=expert.user)
    about_other_department = ContactFactory(requests=[ServiceRequestFactory(service=catalogue.advice)])
    unrelated = ContactFactory()
    assert _ids(expert.get("contacts")) == {about_permit.pk, recorded_by_expert.pk}
    assert expert.get(f"contacts/{about_permit.pk}").status_code == 200
    assert expert.get(f"contacts/{about_other_department.pk}").status_code == 404
    assert expert.get(f"contacts/{unrelated.pk}").status_code == 404


def test_contact_about_two_department_requests_is_listed_once_for_the_expert(api, catalogue):
    expert = api(Role.EXPERT, department=catalogue.building)
    contact = ContactFactory(requests=[ServiceRequestFactory(service=catalogue.permit),
                                       ServiceRequestFactory(service=catalogue.permit)])
    response = expert.get("contacts")
    assert [item["id"] for item in response.json()["items"]] == [contact.pk]
    assert response.json()["count"] == 1


def test_expert_cannot_change_a_contact_they_cannot_see(api, catalogue):
    expert = api(Role.EXPERT, department=catalogue.building)
    hidden = ContactFactory()
    assert expert.patch(f"contacts/{hidden.pk}", {"outcome": "answered"}).status_code == 404


def test_unknown_contact_is_404(advisor_api, catalogue):
    assert advisor_api.get("contacts/999999").status_code == 404


def test_contacts_need_authentication(client, catalogue):
    assert client.get("/api/v1/contacts").status_code == 401
