"""Who may read a customer, and how much of the identity code and address they see."""

import pytest

from aspa.audit.models import AuditEntry
from aspa.identity.models import Role
from tests.conftest import ApiClient
from tests.factories.customers import AddressFactory, PersonFactory
from tests.factories.identity import UserFactory


@pytest.fixture
def party(db):
    party = PersonFactory(first_name="Liisa", last_name="Öhman")
    AddressFactory(party=party, street="Isokatu 5", postal_code="90100", city="Oulu")
    return party


def masked(code: str) -> str:
    return code[:7] + "****"


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION])
def test_centre_roles_see_the_whole_identity_code_in_the_detail(api, party, role):
    response = api(role).get(f"parties/{party.pk}")
    assert response.status_code == 200
    assert response.json()["national_id"] == party.national_id


def test_expert_sees_a_masked_identity_code(api, party, catalogue, file_request):
    file_request(party, catalogue.building)
    response = api(Role.EXPERT, department=catalogue.building).get(f"parties/{party.pk}")
    assert response.status_code == 200
    assert response.json()["national_id"] == masked(party.national_id)
    assert response.json()["addresses"][0]["street"] == "Isokatu 5"


def test_expert_reads_only_customers_with_a_request_in_their_department(api, party, catalogue, file_request):
    elsewhere = PersonFactory()
    file_request(party, catalogue.building)
    file_request(elsewhere, catalogue.centre)
    expert = api(Role.EXPERT, department=catalogue.building)
    assert expert.get(f"parties/{party.pk}").status_code == 200
    assert expert.get(f"parties/{elsewhere.pk}").status_code == 404
    assert expert.get(f"parties/{elsewhere.pk}/customerships").status_code == 404
    listed = [item["id"] for item in expert.get("parties").json()["items"]]
    assert listed == [party.pk]


def test_expert_without_a_department_sees_no_one(api, party, catalogue, file_request):
    file_request(party, catalogue.building)
    assert api(Role.EXPERT).get(f"parties/{party.pk}").status_code == 404


@pytest.mark.parametrize("role,sees_address", [
    (Role.ADVISOR, False), (Role.INTEGRATION, False), (Role.SUPERVISOR, True), (Role.ADMIN, True),
])
def test_non_disclosure_hides_the_address(api, party, role, sees_address):
    party.non_disclosure = True
    party.save()
    body = api(role).get(f"parties/{party.pk}").json()
    assert body["non_disclosure"] is True
    assert body["addresses_hidden"] is (not sees_address)
    assert bool(body["addresses"]) is sees_address
    listed = api(role).get("parties", {"q": "öhman"}).json()["items"][0]
    assert bool(listed["addresses"]) is sees_address


def test_non_disclosure_hides_the_address_from_an_expert(api, party, catalogue, file_request):
    party.non_disclosure = True
    party.save()
    file_request(party, catalogue.building)
    body = api(Role.EXPERT, department=catalogue.building).get(f"parties/{party.pk}").json()
    assert body["addresses"] == []


def test_resident_reads_their_own_record_whole_and_unaudited(resident_api, party):
    party.non_disclosure = True
    party.save()
    client = resident_api(party)
    response = client.get(f"parties/{party.pk}")
    assert response.status_code == 200
    assert response.json()["national_id"] == party.national_id
    assert response.json()["addresses"][0]["street"] == "Isokatu 5"
    assert not AuditEntry.objects.filter(action="read").exists()


def test_resident_cannot_read_someone_else(resident_api, party):
    client = resident_api()
    response = client.get(f"parties/{party.pk}")
    assert response.status_code == 404
    assert client.get(f"parties/{party.pk}/customerships").status_code == 404


def test_resident_without_a_record_sees_nothing(resident_api, party):
    user = UserFactory(role=Role.RESIDENT, party=None)
    client = ApiClient(user, None)
    client.client.force_login(user)
    assert client.get(f"parties/{party.pk}").status_code == 404


def test_detail_read_by_staff_is_one_audit_row(advisor_api, party):
    advisor_api.get(f"parties/{party.pk}")
    [entry] = AuditEntry.objects.filter(action="read")
    assert (entry.actor, entry.actor_role, entry.object_type, entry.object_id, entry.party_id) == (
        advisor_api.user, Role.ADVISOR, "party", str(party.pk), party.pk)
    assert entry.purpose == f"GET /api/v1/parties/{party.pk}"


def test_missing_party_is_404_and_not_audited(advisor_api):
    response = advisor_api.get("parties/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not AuditEntry.objects.exists()
