"""The login lockout counts failures per username and client address. Behind the reverse proxy two
residents or staff members share the proxy's address, so the address must be the client's
(ASPA_TRUSTED_PROXIES): one person's guessing must not lock out another."""

import ipaddress

import pytest
from django.test import Client

from aspa.identity.models import Role
from tests.factories.identity import UserFactory

PASSWORD = "correct horse battery"
PROXY = "10.0.0.2"


@pytest.fixture
def advisor(db, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/29")]
    return UserFactory(username="neuvoja", role=Role.ADVISOR)


def through_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address, HTTP_ACCEPT_LANGUAGE="en")


def guess_until_locked(client: Client, settings) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "neuvoja", "password": "wrong password"})
    assert client.post("/login/", {"username": "neuvoja", "password": PASSWORD}).status_code == 429


def test_locking_out_one_client_behind_the_proxy_leaves_the_other_in(advisor, settings):
    guess_until_locked(through_proxy("198.51.100.7"), settings)

    other = through_proxy("198.51.100.8")
    response = other.post("/login/", {"username": "neuvoja", "password": PASSWORD})
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(advisor.pk)


def test_changing_a_forwarded_header_does_not_escape_the_lock_without_a_trusted_proxy(advisor, settings):
    """A guesser who talks to Aspa directly cannot pose as someone new by forging X-Forwarded-For."""
    guess_until_locked(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7"), settings)

    forged = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert forged.post("/login/", {"username": "neuvoja", "password": PASSWORD}).status_code == 429
