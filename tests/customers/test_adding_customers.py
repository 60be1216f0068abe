"""Adding people and organisations to the register through /api/v1/parties."""

import datetime

import pytest

from aspa.audit.models import AuditEntry
from aspa.customers.models import ContactPoint, Party
from aspa.identity.models import Role
from tests.factories.customers import OrganisationFactory, PersonFactory, make_national_id


def person(**extra) -> dict:
    return {"kind": "person", "first_name": "Matti Juhani", "last_name": "Hämäläinen", **extra}


def test_person_with_identity_code_gets_birth_date_and_search_name(advisor_api):
    code = make_national_id(datetime.date(1980, 5, 17))
    response = advisor_api.post("parties", person(national_id=code.lower()))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["national_id"] == code
    assert body["birth_date"] == "1980-05-17"
    assert body["version"] == 1
    party = Party.objects.get(pk=body["id"])
    assert party.search_name == "hamalainen matti juhani"
    assert AuditEntry.objects.filter(action="create", object_type="party", party_id=party.pk,
                                     actor=advisor_api.user).count() == 1


def test_person_without_identity_code_can_be_added(advisor_api):
    response = advisor_api.post("parties", person(birth_date="1990-01-02"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["national_id"] is None
    assert body["birth_date"] == "1990-01-02"


def test_two_people_without_identity_code_do_not_clash(advisor_api):
    assert advisor_api.post("parties", person()).status_code == 201
    assert advisor_api.post("parties", person()).status_code == 201
    assert Party.objects.filter(national_id__isnull=True).count() == 2


def test_contact_details_are_stored_normalised(advisor_api):
    response = advisor_api.post("parties", person(
        phones=["040 123 4567", {"value": "09 1234 5678", "label": "työ", "is_primary": True}],
        emails=["Matti.Hamalainen@Esimerkki.FI"],
        addresses=[{"street": "Torikatu 1 A 2", "postal_code": "90100", "city": "Oulu"}],
        consents={"email-notifications": True, "surveys": False},
        segments=["seniorit"],
    ))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phones"] == [{"value": "+358912345678", "label": "työ", "is_primary": True},
                              {"value": "+358401234567", "label": "", "is_primary": False}]
    assert body["emails"] == [{"value": "matti.hamalainen@esimerkki.fi", "label": "", "is_primary": True}]
    assert body["addresses"][0]["city"] == "Oulu"
    assert body["addresses"][0]["country"] == "FI"
    assert body["consents"] == {"email-notifications": True, "surveys": False}
    assert body["segments"] == ["seniorit"]


def test_invalid_details_are_all_reported_and_nothing_is_created(advisor_api):
    response = advisor_api.post("parties", person(
        national_id="131052-308U", phones=["123"], emails=["ei-osoite"], segments=["no-such-segment"],
        addresses=[{"street": "Torikatu 1", "postal_code": "901", "city": "Oulu"}],
    ))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"national_id", "phones.0", "emails.0", "segments", "addresses.0"}
    assert not Party.objects.exists()
    assert not ContactPoint.objects.exists()


def test_person_needs_a_last_name_and_organisation_a_name(advisor_api):
    response = advisor_api.post("parties", {"kind": "person", "first_name": "Matti"})
    assert response.status_code == 422
    assert "last_name" in response.json()["error"]["fields"]
    response = advisor_api.post("parties", {"kind": "organisation", "business_id": "2077474-0"})
    assert response.status_code == 422
    assert "name" in response.json()["error"]["fields"]


def test_organisation_with_business_id_and_contact_person(advisor_api):
    contact = PersonFactory()
    response = advisor_api.post("parties", {
        "kind": "organisation", "name": "Äänekosken Sähkö Oy", "business_id": "20774740",
        "contact_persons": [{"party_id": contact.pk, "title": "toimitusjohtaja"}],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["business_id"] == "2077474-0"
    assert body["contact_persons"] == [{"party_id": contact.pk, "name": contact.display_name,
                                        "title": "toimitusjohtaja"}]
    assert Party.objects.get(pk=body["id"]).search_name == "aanekosken sahko oy"


def test_organisation_cannot_have_a_personal_identity_code(advisor_api):
    response = advisor_api.post("parties", {"kind": "organisation", "name": "Yhdistys ry",
                                            "national_id": "131052-308T"})
    assert response.status_code == 422
    assert "national_id" in response.json()["error"]["fields"]


def test_second_person_with_the_same_identity_code_is_refused_naming_the_first(advisor_api):
    existing = PersonFactory()
    response = advisor_api.post("parties", person(national_id=existing.national_id.lower()))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert str(existing.pk) in error["message"]
    assert str(existing.pk) in error["fields"]["national_id"][0]
    assert error["existing_id"] == existing.pk
    assert Party.objects.count() == 1


def test_second_organisation_with_the_same_business_id_is_refused(advisor_api):
    existing = OrganisationFactory(business_id="2077474-0")
    response = advisor_api.post("parties", {"kind": "organisation", "name": "Toinen Oy", "business_id": "20774740"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert error["existing_id"] == existing.pk
    assert "business_id" in error["fields"]


def test_retry_with_the_same_idempotency_key_creates_one_party(advisor_api):
    payload = person(national_id=make_national_id())
    first = advisor_api.post("parties", payload, headers={"Idempotency-Key": "create-matti-1"})
    again = advisor_api.post("parties", payload, headers={"Idempotency-Key": "create-matti-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Party.objects.count() == 1


@pytest.mark.parametrize("role", [Role.EXPERT, Role.RESIDENT])
def test_only_the_centre_adds_customers(api, resident_api, catalogue, role):
    client = resident_api() if role == Role.RESIDENT else api(role, department=catalogue.building)
    before = Party.objects.count()
    response = client.post("parties", person())
    assert response.status_code == 403
    assert Party.objects.count() == before


def test_overlong_input_is_refused_by_the_schema(advisor_api):
    response = advisor_api.post("parties", person(last_name="x" * 101))
    assert response.status_code == 422
    assert "last_name" in response.json()["error"]["fields"]


def test_unknown_kind_is_refused(advisor_api):
    response = advisor_api.post("parties", {"kind": "robot", "last_name": "X"})
    assert response.status_code == 422
    assert "kind" in response.json()["error"]["fields"]
