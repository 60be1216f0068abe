"""The site's own address takes each visitor where they work."""

import pytest
from django.test import Client

from aspa.identity.models import Role
from tests.factories.identity import UserFactory


def test_visitors_and_residents_go_to_the_e_services(db):
    assert Client().get("/")["Location"] == "/portal/"
    resident = Client()
    resident.force_login(UserFactory(role=Role.RESIDENT))
    assert resident.get("/")["Location"] == "/portal/"


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR])
def test_staff_go_to_their_desk(db, role):
    client = Client()
    client.force_login(UserFactory(role=role))
    assert client.get("/")["Location"] == "/desk/"
