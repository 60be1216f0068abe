"""Behind the city's reverse proxy every request comes from the proxy: the client's own address is
taken from X-Forwarded-For, but only when the peer is a trusted proxy (ASPA_TRUSTED_PROXIES), and
only the right-most address no trusted proxy wrote. Anyone else's X-Forwarded-For is ignored."""

import ipaddress
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from aspa.audit.models import AuditEntry
from aspa.client_address import client_address
from tests.factories.customers import PersonFactory

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/29"), ipaddress.ip_network("2001:db8::/32")]


def address_of(remote_addr: str, forwarded: str | None = None) -> str | None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of(PROXY, "198.51.100.7") == PROXY


def test_a_spoofed_forwarded_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert address_of("203.0.113.5", "198.51.100.7") == "203.0.113.5"


@pytest.mark.parametrize(("forwarded", "client"), [
    ("198.51.100.7", "198.51.100.7"),
    # The client wrote the left-most entry itself; the proxy appended the address it saw.
    ("1.2.3.4, 198.51.100.7", "198.51.100.7"),
    # Two trusted proxies in a row: the second appended the first's address.
    ("198.51.100.7, 10.0.0.3", "198.51.100.7"),
    # Garbage and blanks are skipped, spaces do not matter.
    ("198.51.100.7,not-an-address, ,10.0.0.3", "198.51.100.7"),
    ("2001:db8::1, 2a00:1450::5", "2a00:1450::5"),
    # Only proxies, or nothing forwarded: the proxy itself is asking (a health check).
    ("10.0.0.3", PROXY),
    ("", PROXY),
])
def test_a_trusted_proxy_names_the_client(behind_proxy, forwarded, client):
    assert address_of(PROXY, forwarded) == client


def test_a_trusted_proxy_seen_as_an_ipv4_mapped_ipv6_address_is_still_trusted(behind_proxy):
    assert address_of(f"::ffff:{PROXY}", "198.51.100.7") == "198.51.100.7"


def test_a_request_without_a_peer_address_has_no_client_address(behind_proxy):
    assert address_of("") is None


def test_the_audit_row_names_the_client_not_the_proxy(behind_proxy, advisor_api):
    party = PersonFactory()
    response = advisor_api.get(f"/api/v1/parties/{party.id}", REMOTE_ADDR=PROXY,
                               HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert response.status_code == 200
    assert AuditEntry.objects.get(object_type="party").ip_address == "198.51.100.7"


@pytest.mark.parametrize(("value", "loaded"), [
    ("10.0.0.2, 192.168.10.0/24 ,2001:db8::/32", "[IPv4Network('10.0.0.2/32'), IPv4Network('192.168.10.0/24'), "
                                                  "IPv6Network('2001:db8::/32')]"),
    ("", "[]"),
])
def test_the_setting_reads_addresses_and_networks(tmp_path, value, loaded):
    assert _load_settings(tmp_path, value).stdout.strip() == loaded


def test_a_mistyped_proxy_address_stops_the_start_with_the_setting_named(tmp_path):
    result = _load_settings(tmp_path, "10.0.0.300")
    assert result.returncode != 0
    assert "ASPA_TRUSTED_PROXIES" in result.stderr and "10.0.0.300" in result.stderr


def _load_settings(tmp_path, value: str) -> subprocess.CompletedProcess:
    code = ("import django.conf as c, os; os.environ['DJANGO_SETTINGS_MODULE']='aspa.settings';"
            "print(c.settings.TRUSTED_PROXIES)")
    clean = {key: item for key, item in os.environ.items() if not key.startswith("ASPA_")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={**clean, "ASPA_DATA_DIR": str(tmp_path), "ASPA_TRUSTED_PROXIES": value})
