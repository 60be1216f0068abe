"""The Django admin: masked lists, audited reads, saves through the operations."""

import pytest
from django.test import Client

from aspa.audit.models import AuditEntry
from aspa.customers.models import Party
from aspa.identity.models import Role
from tests.factories.customers import CustomershipFactory, PersonFactory
from tests.factories.identity import UserFactory


@pytest.fixture
def admin_client(db):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_opening_a_customer_in_the_admin_is_an_audited_read(admin_client):
    party = PersonFactory()
    response = admin_client.get(f"/admin/customers/party/{party.pk}/change/")
    assert response.status_code == 200
    [entry] = AuditEntry.objects.filter(action="read")
    assert (entry.party_id, entry.actor) == (party.pk, admin_client.user)


def test_admin_list_masks_identity_codes_and_finds_names_without_accents(admin_client):
    party = PersonFactory(first_name="Jörö", last_name="Jääskeläinen")
    PersonFactory(last_name="Virtanen")
    response = admin_client.get("/admin/customers/party/", {"q": "jaaskel"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jääskeläinen" in content
    assert "Virtanen" not in content
    assert party.national_id not in content
    assert party.national_id[:7] + "****" in content
    assert list(AuditEntry.objects.filter(action="read").values_list("party_id", flat=True)) == [party.pk]


def test_saving_in_the_admin_validates_and_audits(admin_client):
    party = PersonFactory(first_name="Aino", last_name="Mäkelä", national_id=None, birth_date=None)
    url = f"/admin/customers/party/{party.pk}/change/"
    form = {
        "kind": "person", "first_name": "Aino", "last_name": "Mäkinen", "name": "", "national_id": "131052-308U",
        "business_id": "", "birth_date": "", "language": "fi", "contact_preference": "email",
        **{f"{prefix}-{key}": value for prefix in ("contact_points", "consents", "customerships", "contact_persons")
           for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()},
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    party.refresh_from_db()
    assert party.last_name == "Mäkelä"

    response = admin_client.post(url, {**form, "national_id": "131052-308t"})
    assert response.status_code == 302, response.context["errors"] if response.context else response
    party.refresh_from_db()
    assert (party.last_name, party.national_id, party.search_name, party.version) == (
        "Mäkinen", "131052-308T", "makinen aino", 2)
    assert party.birth_date.isoformat() == "1952-10-13"
    assert AuditEntry.objects.filter(action="update", party_id=party.pk, actor=admin_client.user).count() == 1


def test_customerships_have_their_own_admin(admin_client, catalogue):
    customership = CustomershipFactory(service=catalogue.permit)
    assert admin_client.get("/admin/customers/customership/").status_code == 200
    assert admin_client.get(f"/admin/customers/customership/{customership.pk}/change/").status_code == 200
    assert AuditEntry.objects.filter(action="read", party_id=customership.party_id).count() == 1
    assert Party.objects.count() == 1
