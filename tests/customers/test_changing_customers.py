"""Changing a customer: optimistic locking, replaced contact details, what residents may change."""

import pytest

from aspa.audit.models import AuditEntry
from aspa.customers import operations
from aspa.customers.models import ContactPoint, Party
from aspa.errors import Conflict
from aspa.identity.models import Role
from tests.factories.customers import (
    EmailFactory,
    OrganisationFactory,
    PersonFactory,
    PhoneFactory,
    make_national_id,
)
from tests.factories.identity import UserFactory


@pytest.fixture
def party(db):
    party = PersonFactory(first_name="Aino", last_name="Mäkelä")
    PhoneFactory(party=party, value="+358401111111")
    return party


def test_change_with_the_current_version_is_saved_and_audited(advisor_api, party):
    response = advisor_api.patch(f"parties/{party.pk}", {
        "version": 1, "last_name": "Äijälä", "phones": ["050 765 4321"], "emails": ["Aino@Esimerkki.fi"],
        "segments": ["seniorit"], "consents": {"surveys": True}, "contact_preference": "sms",
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["last_name"] == "Äijälä"
    assert body["phones"] == [{"value": "+358507654321", "label": "", "is_primary": True}]
    assert body["emails"][0]["value"] == "aino@esimerkki.fi"
    assert body["segments"] == ["seniorit"]
    assert body["consents"] == {"surveys": True}
    party.refresh_from_db()
    assert party.search_name == "aijala aino"
    assert party.contact_preference == "sms"
    assert AuditEntry.objects.filter(action="update", party_id=party.pk, actor=advisor_api.user).count() == 1


def test_change_based_on_an_old_version_is_refused_and_changes_nothing(advisor_api, party):
    assert advisor_api.patch(f"parties/{party.pk}", {"version": 1, "first_name": "Aino Maria"}).status_code == 200
    response = advisor_api.patch(f"parties/{party.pk}", {"version": 1, "last_name": "Virtanen",
                                                          "phones": ["050 765 4321"]})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale"
    assert "version" in error["fields"]
    party.refresh_from_db()
    assert (party.first_name, party.last_name, party.version) == ("Aino Maria", "Mäkelä", 2)
    assert list(party.contact_points.values_list("value", flat=True)) == ["+358401111111"]
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_invalid_change_changes_nothing_not_even_the_version(advisor_api, party):
    response = advisor_api.patch(f"parties/{party.pk}", {"version": 1, "first_name": "X", "emails": ["ei"]})
    assert response.status_code == 422
    assert "emails.0" in response.json()["error"]["fields"]
    party.refresh_from_db()
    assert (party.first_name, party.version) == ("Aino", 1)


def test_version_is_required(advisor_api, party):
    response = advisor_api.patch(f"parties/{party.pk}", {"first_name": "X"})
    assert response.status_code == 422
    assert "version" in response.json()["error"]["fields"]


def test_changing_to_someone_elses_identity_code_is_a_duplicate(advisor_api, party):
    other = PersonFactory()
    response = advisor_api.patch(f"parties/{party.pk}", {"version": 1, "national_id": other.national_id})
    assert response.status_code == 409
    assert response.json()["error"]["existing_id"] == other.pk
    party.refresh_from_db()
    assert party.version == 1


def test_adding_the_identity_code_later_fills_the_birth_date(advisor_api):
    party = PersonFactory(national_id=None, birth_date=None)
    code = make_national_id()
    body = advisor_api.patch(f"parties/{party.pk}", {"version": 1, "national_id": code}).json()
    assert body["national_id"] == code
    assert body["birth_date"] is not None


def test_non_disclosure_can_be_turned_on(advisor_api, party):
    body = advisor_api.patch(f"parties/{party.pk}", {"version": 1, "non_disclosure": True}).json()
    assert body["non_disclosure"] is True
    assert Party.objects.get(pk=party.pk).non_disclosure is True


def test_resident_updates_their_own_contact_details(resident_api, party):
    client = resident_api(party)
    response = client.patch(f"parties/{party.pk}", {"version": 1, "phones": ["+358 50 123 4567"],
                                                     "language": "sv"})
    assert response.status_code == 200, response.content
    assert response.json()["phones"][0]["value"] == "+358501234567"
    assert response.json()["language"] == "sv"
    # Their own writes are audited like anyone's.
    assert AuditEntry.objects.filter(action="update", actor=client.user).count() == 1


def test_resident_cannot_change_their_name_or_identity_code(resident_api, party):
    response = resident_api(party).patch(f"parties/{party.pk}", {"version": 1, "last_name": "Muu"})
    assert response.status_code == 403
    assert "last_name" in response.json()["error"]["fields"]
    party.refresh_from_db()
    assert (party.last_name, party.version) == ("Mäkelä", 1)


def test_resident_cannot_change_someone_else(resident_api, party):
    response = resident_api().patch(f"parties/{party.pk}", {"version": 1, "language": "sv"})
    assert response.status_code == 404


def test_expert_cannot_change_customers(api, party, catalogue, file_request):
    file_request(party, catalogue.building)
    response = api(Role.EXPERT, department=catalogue.building).patch(f"parties/{party.pk}",
                                                                     {"version": 1, "language": "sv"})
    assert response.status_code == 403


def test_operations_bump_the_version_so_open_editors_reload(party, catalogue):
    advisor = UserFactory(role=Role.ADVISOR)
    operations.add_contact_point(advisor, party, ContactPoint.Kind.EMAIL, "Aino@Esimerkki.fi")
    operations.add_contact_point(advisor, party, ContactPoint.Kind.EMAIL, "aino@esimerkki.fi")
    operations.set_consents(advisor, party, {"surveys": False})
    operations.set_consents(advisor, party, {"email-notifications": True})
    operations.set_segments(advisor, party, ["seniorit"])
    operations.set_non_disclosure(advisor, party, True)
    party.refresh_from_db()
    assert party.version == 6
    assert list(party.contact_points.filter(kind="email").values_list("value", flat=True)) == ["aino@esimerkki.fi"]
    assert dict(party.consents.values_list("purpose", "granted")) == {"surveys": False, "email-notifications": True}
    assert AuditEntry.objects.filter(action="update", party_id=party.pk).count() == 5
    with pytest.raises(Conflict) as stale:
        operations.update_party(advisor, party, version=1, changes={"first_name": "X"})
    assert stale.value.code == "stale"


def test_replacing_phones_keeps_one_primary(party):
    advisor = UserFactory(role=Role.ADVISOR)
    points = operations.replace_contact_points(advisor, party, ContactPoint.Kind.PHONE,
                                               ["040 222 2222", "040 222 2222", "050 333 3333"])
    assert [(p.value, p.is_primary) for p in points] == [("+358402222222", True), ("+358503333333", False)]
    assert party.contact_points.filter(kind="phone").count() == 2


def test_organisation_contact_persons(advisor_api):
    organisation = OrganisationFactory()
    first, second = PersonFactory(), PersonFactory()
    EmailFactory(party=first)
    advisor = advisor_api.user
    operations.add_contact_person(advisor, organisation, first, "hallituksen puheenjohtaja")
    body = advisor_api.get(f"parties/{organisation.pk}").json()
    assert [p["party_id"] for p in body["contact_persons"]] == [first.pk]
    body = advisor_api.patch(f"parties/{organisation.pk}", {
        "version": body["version"], "contact_persons": [{"party_id": second.pk, "title": "sihteeri"}],
    }).json()
    assert body["contact_persons"] == [{"party_id": second.pk, "name": second.display_name, "title": "sihteeri"}]
    operations.remove_contact_person(advisor, organisation, second)
    assert not organisation.contact_persons.exists()


def test_a_person_has_no_contact_persons(advisor_api):
    person, other = PersonFactory(), PersonFactory()
    response = advisor_api.patch(f"parties/{person.pk}", {"version": 1, "contact_persons": [{"party_id": other.pk}]})
    assert response.status_code == 422
    assert "contact_persons.0" in response.json()["error"]["fields"]
