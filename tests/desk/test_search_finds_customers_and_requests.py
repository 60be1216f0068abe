"""The desk's one search box finds a customer from whatever the caller gives: a name typed
without ä and ö, an identity code, a business ID, a phone number in any format, an email
address; and a request from its number, whole or in part."""

import pytest
from django.utils import timezone

from aspa.identity.access import mask_national_id
from tests.desk.customer_world import history_request, person
from tests.factories.customers import OrganisationFactory, make_business_id

HTMX = {"HX-Request": "true"}


def search(client, text: str, htmx: bool = True):
    response = client.get("/desk/search/", {"q": text}, headers=HTMX if htmx else {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def advisor_client(world, signed_in):
    return signed_in(world.advisor)


@pytest.mark.parametrize("typed", ["hamalainen", "Hämäläinen", "HAMAL", "hämäläinen maija", "maija häm", "maija ham"])
def test_name_is_found_with_or_without_finnish_letters_and_either_name_first(world, advisor_client, typed):
    maija = person("Maija", "Hämäläinen")
    page = search(advisor_client, typed)
    assert f'href="/desk/customers/{maija.pk}/"' in page
    assert "Maija Hämäläinen" in page


def test_name_stored_without_finnish_letters_is_found_with_them(world, advisor_client):
    organisation = OrganisationFactory(name="Hameenlinnan Kiinteistot Oy")
    page = search(advisor_client, "hämeenlinnan kiinteistöt")
    assert f'href="/desk/customers/{organisation.pk}/"' in page


def test_identity_code_finds_the_person_and_is_shown_masked(world, advisor_client):
    maija = person()
    page = search(advisor_client, maija.national_id)
    assert f'href="/desk/customers/{maija.pk}/"' in page
    assert mask_national_id(maija.national_id) in page
    assert maija.national_id not in page


def test_business_id_finds_the_organisation(world, advisor_client):
    business_id = make_business_id()
    organisation = OrganisationFactory(name="Esimerkki Rakennus Oy", business_id=business_id)
    page = search(advisor_client, business_id)
    assert f'href="/desk/customers/{organisation.pk}/"' in page
    assert business_id in page


@pytest.mark.parametrize("typed", ["040 123 4567", "0401234567", "+358 40 1234567", "040-123 45 67"])
def test_phone_number_in_any_format_finds_the_customer(world, advisor_client, typed):
    maija = person(phone="+358401234567")
    page = search(advisor_client, typed)
    assert f'href="/desk/customers/{maija.pk}/"' in page


def test_email_address_finds_the_customer_whatever_the_case(world, advisor_client):
    maija = person(email="maija.hamalainen@example.fi")
    page = search(advisor_client, "Maija.Hamalainen@Example.FI")
    assert f'href="/desk/customers/{maija.pk}/"' in page


def test_half_typed_email_finds_nobody_yet_without_an_error(world, advisor_client):
    person(email="maija.hamalainen@example.fi")
    page = search(advisor_client, "maija@")
    assert "/desk/customers/" not in page
    assert "Nothing found." in page


def test_at_most_ten_customers_are_listed(world, advisor_client):
    for index in range(12):
        person("Matti", f"Virtanen{index:02d}", phone=None, email=None, street=None)
    page = search(advisor_client, "virtanen")
    assert page.count('href="/desk/customers/') == 10
    assert "10 customers found." in page


def test_request_is_found_by_its_whole_number_in_any_case(world, advisor_client):
    number = world.mine.number
    for typed in (number, number.lower()):
        assert f'href="/desk/requests/{number}/"' in search(advisor_client, typed)


def test_request_is_found_by_year_and_serial_or_by_serial_alone(world, advisor_client):
    year = timezone.localdate().year
    this_year = history_request(world.customer, year=year)
    serial = this_year.number.rsplit("-", 1)[1]
    for typed in (f"{year}-{serial}", f"{year}-{int(serial)}", str(int(serial))):
        page = search(advisor_client, typed)
        assert f'href="/desk/requests/{this_year.number}/"' in page, typed


def test_request_of_an_older_year_is_found_by_year_and_serial(world, advisor_client):
    old = history_request(world.customer, year=timezone.localdate().year - 3)
    page = search(advisor_client, old.number.split("-", 1)[1])
    assert f'href="/desk/requests/{old.number}/"' in page


def test_typing_answers_with_a_fragment_that_announces_the_count(world, advisor_client):
    maija = person()
    page = search(advisor_client, "hämäläinen")
    assert "<html" not in page
    assert 'id="desk-search-status" hx-swap-oob="innerHTML"' in page
    assert "1 customer found." in page
    assert f"/desk/customers/{maija.pk}/" in page


def test_without_javascript_the_search_is_a_whole_page(world, advisor_client):
    maija = person()
    page = search(advisor_client, "hämäläinen", htmx=False)
    assert "<html" in page
    assert "<h1>Search results for “hämäläinen”</h1>" in page
    assert f"/desk/customers/{maija.pk}/" in page
    # The search box of the page keeps what was searched.
    assert 'value="hämäläinen"' in page


def test_the_two_answers_of_the_same_address_are_cached_apart(world, advisor_client):
    response = advisor_client.get("/desk/search/", {"q": "abc"})
    assert "HX-Request" in response["Vary"]


def test_an_empty_search_shows_nothing(world, advisor_client):
    page = search(advisor_client, "  ")
    assert "/desk/customers/" not in page
    assert "Nothing found." not in page
