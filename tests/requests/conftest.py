import pytest

from aspa.identity.models import Role
from tests.conftest import ApiClient
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, resident_user


@pytest.fixture
def advisor(db, catalogue):
    return UserFactory(role=Role.ADVISOR, department=catalogue.centre)


@pytest.fixture
def resident_api(db, catalogue):
    """resident_api(party=None) → a client signed in (browser session) as a resident with a customer record."""

    def make(party=None, language: str = "en") -> ApiClient:
        user = resident_user(party or PersonFactory())
        client = ApiClient(user, None, language)
        client.client.force_login(user)
        return client

    return make
