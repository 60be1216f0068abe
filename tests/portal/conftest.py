import pytest
from django.test import Client

from tests.portal.factories import make_portal_world


@pytest.fixture
def world(catalogue):
    return make_portal_world(catalogue)


@pytest.fixture
def signed_in():
    """signed_in(user) → a test client with that user's session, pages in English."""

    def make(user, language: str = "en") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        return client

    return make
