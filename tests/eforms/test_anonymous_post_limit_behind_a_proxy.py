"""The limit of form posts without signing in counts each client behind the reverse proxy on its
own (ASPA_TRUSTED_PROXIES), and a client talking to Aspa directly cannot reset its count by
sending a made-up X-Forwarded-For."""

import ipaddress

import pytest
from django.test import Client

from aspa.requests.models import ServiceRequest
from tests.factories.eforms import VALID_ANSWERS

FEEDBACK = {**VALID_ANSWERS["kuntalaispalaute"], "action": "preview"}
PROXY = "10.0.0.2"


@pytest.fixture
def limit_of_two(settings):
    settings.EFORMS_ANONYMOUS_POSTS_PER_WINDOW = 2
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/29")]


def post(client: Client) -> int:
    return client.post("/forms/kuntalaispalaute/", FEEDBACK).status_code


def test_clients_behind_the_proxy_each_have_their_own_limit(city, limit_of_two):
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert [post(first), post(first), post(first)] == [302, 302, 429]

    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert post(second) == 302


def test_a_forwarded_header_from_an_untrusted_peer_does_not_reset_the_count(city, limit_of_two):
    direct = "203.0.113.5"
    assert post(Client(REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR="198.51.100.1")) == 302
    assert post(Client(REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR="198.51.100.2")) == 302
    refused = Client(REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert post(refused) == 429
    assert not ServiceRequest.objects.exists()
