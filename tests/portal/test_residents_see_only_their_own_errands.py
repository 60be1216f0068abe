"""A resident's portal shows their own errands and nobody else's; staff get no portal data."""

import pytest
from django.test import Client

from aspa.identity.models import Role
from tests.factories.identity import UserFactory
from tests.factories.requests import resident_user


def test_my_errands_lists_own_requests_open_ones_first(world, signed_in):
    page = signed_in(world.resident).get("/portal/").content.decode()
    positions = [page.index(item.number) for item in (world.waiting, world.received, world.closed)]
    assert positions == sorted(positions)
    assert world.neighbours.number not in page
    assert world.received.service.name_en in page


def test_service_name_is_shown_in_the_residents_language(world, signed_in):
    service = world.received.service
    page = signed_in(world.resident, language="sv").get("/portal/").content.decode()
    assert service.name_sv in page
    assert "Väntar på dig" in page


def test_another_residents_request_is_not_found(world, signed_in):
    client = signed_in(world.resident)
    assert client.get(f"/portal/requests/{world.neighbours.number}/").status_code == 404
    assert client.get("/portal/requests/ESI-1999-000001/").status_code == 404
    assert client.get(f"/portal/requests/{world.neighbours.pk}/").status_code == 404


def test_own_request_opens_by_its_number(world, signed_in):
    response = signed_in(world.resident).get(f"/portal/requests/{world.received.number}/")
    assert response.status_code == 200
    assert "Katulamppu ei pala" in response.content.decode()


def test_resident_without_a_customer_record_sees_no_errands(db, catalogue, signed_in):
    user = UserFactory(role=Role.RESIDENT, party=None)
    response = signed_in(user).get("/portal/")
    assert response.status_code == 200
    assert "You have no errands with the city yet." in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION])
@pytest.mark.parametrize("path", ["/portal/", "/portal/me/", "request"])
def test_staff_get_no_portal_data(world, signed_in, role, path):
    if path == "request":
        path = f"/portal/requests/{world.received.number}/"
    response = signed_in(UserFactory(role=role, department=world.advisor.department)).get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Katulamppu ei pala" not in page
    assert "Meikäläinen" not in page
    assert ("Go to the desk" in page) is (role != Role.INTEGRATION)


def test_anonymous_visitor_is_offered_strong_identification(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in with strong identification" in page
    assert 'href="/saml/login/?next=%2Fportal%2F"' in page


def test_anonymous_visitor_of_a_request_page_is_sent_to_identify(world):
    response = Client().get(f"/portal/requests/{world.received.number}/")
    assert response.status_code == 302
    assert response["Location"] == f"/saml/login/?next=%2Fportal%2Frequests%2F{world.received.number}%2F"


def test_portal_pages_are_not_cached(world, signed_in):
    response = signed_in(world.resident).get("/portal/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_my_details_shows_name_contacts_and_language(world, signed_in):
    page = signed_in(world.resident).get("/portal/me/").content.decode()
    assert "Maija Meikäläinen" in page
    assert "maija@example.fi" in page
    assert "+358401234567" in page
    assert "Swedish" in page or "svenska" in page
    assert "Naapuri" not in page


def test_residents_sign_in_page_sends_them_to_the_portal(world):
    client = Client()
    client.force_login(world.resident)
    response = client.get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_resident_header_links_to_the_portal_and_signs_out_through_saml(world, signed_in):
    page = signed_in(world.resident).get("/portal/").content.decode()
    assert 'class="aspa-header__service" href="/portal/"' in page
    assert 'action="/saml/logout/"' in page


def test_resident_made_by_the_shared_factory_sees_nothing_of_others(world, signed_in):
    page = signed_in(resident_user()).get("/portal/").content.decode()
    for item in (world.received, world.waiting, world.closed, world.neighbours):
        assert item.number not in page
