"""The advisor identifies the caller: by identity code, phone in any format, email or name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspa.audit.models import AuditEntry
from aspa.customers.models import Consent
from aspa.identity.models import Role
from tests.factories.customers import (
    AddressFactory,
    ContactPersonFactory,
    EmailFactory,
    OrganisationFactory,
    PersonFactory,
    PhoneFactory,
)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def matti(db):
    party = PersonFactory(first_name="Matti", last_name="Hämäläinen")
    PhoneFactory(party=party, value="+358401234567")
    EmailFactory(party=party, value="matti@esimerkki.fi")
    return party


@pytest.fixture
def others(db):
    return [PersonFactory(first_name="Maija", last_name="Häkkinen"),
            PersonFactory(first_name="Matti", last_name="Virtanen"),
            OrganisationFactory(name="Hämeen Rakennus Oy", business_id="2077474-0")]


def test_lookup_by_identity_code(advisor_api, matti, others):
    assert ids(advisor_api.get("parties", {"national_id": matti.national_id.lower()})) == [matti.pk]
    assert ids(advisor_api.get("parties", {"q": matti.national_id})) == [matti.pk]


@pytest.mark.parametrize("typed", ["040 123 4567", "+358 40 1234567", "0401234567", "040-1234567"])
def test_lookup_by_phone_in_another_format(advisor_api, matti, others, typed):
    assert ids(advisor_api.get("parties", {"phone": typed})) == [matti.pk]
    assert ids(advisor_api.get("parties", {"q": typed})) == [matti.pk]


def test_lookup_by_email_ignores_case(advisor_api, matti, others):
    assert ids(advisor_api.get("parties", {"email": "Matti@Esimerkki.fi"})) == [matti.pk]
    assert ids(advisor_api.get("parties", {"q": "MATTI@esimerkki.fi"})) == [matti.pk]


def test_lookup_by_business_id(advisor_api, matti, others):
    assert ids(advisor_api.get("parties", {"q": "20774740"})) == [others[2].pk]
    assert ids(advisor_api.get("parties", {"business_id": "2077474-0"})) == [others[2].pk]


@pytest.mark.parametrize("typed", ["Hämäläinen", "hämäl", "HAMAL", "Hämäläinen Ma", "matti häm", "Matti Hämäläinen"])
def test_lookup_by_name_prefix_with_or_without_finnish_letters(advisor_api, matti, others, typed):
    assert ids(advisor_api.get("parties", {"q": typed})) == [matti.pk]
    assert ids(advisor_api.get("parties", {"name": typed})) == [matti.pk]


def test_short_name_prefix_finds_everyone_it_starts(advisor_api, matti, others):
    found = ids(advisor_api.get("parties", {"name": "hä"}))
    assert set(found) == {matti.pk, others[0].pk, others[2].pk}
    # Sorted by name: Häkkinen, Hämäläinen, Hämeen Rakennus Oy.
    assert found == [others[0].pk, matti.pk, others[2].pk]


def test_filters_combine(advisor_api, matti, others, catalogue):
    matti.segments.add(catalogue.segment)
    assert ids(advisor_api.get("parties", {"segment": "seniorit"})) == [matti.pk]
    assert ids(advisor_api.get("parties", {"kind": "organisation"})) == [others[2].pk]
    assert ids(advisor_api.get("parties", {"kind": "organisation", "name": "matti"})) == []


def test_nothing_found_is_an_empty_page(advisor_api, matti):
    response = advisor_api.get("parties", {"q": "Korhonen"})
    assert response.json()["count"] == 0
    assert response.json()["items"] == []


def test_unparseable_phone_filter_is_a_field_error(advisor_api):
    response = advisor_api.get("parties", {"phone": "soita minulle"})
    assert response.status_code == 422
    assert "phone" in response.json()["error"]["fields"]


def test_lists_mask_the_identity_code_even_for_advisors(api, matti):
    for role in (Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN):
        [item] = api(role).get("parties", {"q": "hämäläinen"}).json()["items"]
        assert item["national_id"] == matti.national_id[:7] + "****"
        assert item["birth_date"] == matti.birth_date.isoformat()


def test_pages_and_sorting(advisor_api):
    people = [PersonFactory(last_name=f"Nieminen{n}") for n in range(5)]
    response = advisor_api.get("parties", {"page": 2, "page_size": 2, "sort": "-name"}).json()
    assert response["count"] == 5
    assert [item["id"] for item in response["items"]] == [people[2].pk, people[1].pk]
    bad = advisor_api.get("parties", {"sort": "national_id"})
    assert bad.status_code == 422
    assert "sort" in bad.json()["error"]["fields"]


def test_every_party_listed_is_an_audited_read(advisor_api, matti, others):
    response = advisor_api.get("parties", {"name": "hä"})
    listed = ids(response)
    reads = AuditEntry.objects.filter(action="read", object_type="party", actor=advisor_api.user)
    assert sorted(reads.values_list("party_id", flat=True)) == sorted(listed)
    assert all(entry.purpose.startswith("GET /api/v1/parties") for entry in reads)


def test_residents_cannot_search_the_register(resident_api, matti):
    response = resident_api().get("parties", {"q": "hämäläinen"})
    assert response.status_code == 403


def _full_party(n: int, catalogue):
    party = PersonFactory(last_name=f"Laine{n}")
    PhoneFactory(party=party)
    EmailFactory(party=party)
    AddressFactory(party=party)
    party.segments.add(catalogue.segment)
    Consent.objects.create(party=party, purpose="surveys", granted=True)
    organisation = OrganisationFactory(name=f"Laine{n} Oy")
    ContactPersonFactory(organisation=organisation, person=party)
    return party


def test_list_page_runs_the_same_few_queries_however_many_parties(advisor_api, catalogue):
    _full_party(0, catalogue)
    advisor_api.get("parties")  # the token's first use of the minute writes last_used_at
    with CaptureQueriesContext(connection) as few:
        assert advisor_api.get("parties", {"name": "laine"}).json()["count"] == 2
    for n in range(1, 10):
        _full_party(n, catalogue)
    with CaptureQueriesContext(connection) as many:
        assert advisor_api.get("parties", {"name": "laine"}).json()["count"] == 20
    assert len(many) == len(few)
    assert len(many) <= 12
