"""The desk is for the centre's and the departments' staff; everyone else is turned away."""

import pytest
from django.test import Client

from aspa.identity.models import Role
from tests.factories.identity import UserFactory


@pytest.mark.parametrize("path", ["/desk/", "/desk/requests/?view=mine", "/desk/requests/ESI-2026-000001/"])
def test_anonymous_visitor_is_sent_to_sign_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_sign_in_brings_the_visitor_back_to_the_page_they_asked_for(world):
    client = Client()
    asked = client.get("/desk/requests/?view=overdue")
    response = client.post(asked["Location"], {"username": "neuvoja", "password": "correct horse battery",
                                               "next": "/desk/requests/?view=overdue"})
    assert response.status_code == 302
    assert response["Location"] == "/desk/requests/?view=overdue"


@pytest.mark.parametrize("path", ["/desk/", "/desk/requests/?view=waiting"])
def test_resident_gets_a_no_access_page(world, signed_in, path):
    response = signed_in(world.resident).get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "No access" in page
    assert "Residents handle their errands in the e-services" in page
    assert world.mine.number not in page


def test_resident_cannot_open_even_their_own_request_on_the_desk(world, signed_in):
    response = signed_in(world.resident).get(f"/desk/requests/{world.mine.number}/")
    assert response.status_code == 403


def test_integration_client_has_no_desk(db, signed_in):
    response = signed_in(UserFactory(role=Role.INTEGRATION)).get("/desk/")
    assert response.status_code == 403


def test_deactivated_staff_member_is_turned_away(world, signed_in):
    client = signed_in(world.advisor)
    world.advisor.is_active = False
    world.advisor.save(update_fields=["is_active"])
    response = client.get("/desk/")
    # Django's session check signs the inactive user out: back to the sign-in page.
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN])
def test_staff_roles_get_their_desk(catalogue, signed_in, role):
    department = catalogue.building if role == Role.EXPERT else None
    response = signed_in(UserFactory(role=role, department=department)).get("/desk/")
    assert response.status_code == 200
    assert "Your desk" in response.content.decode()
