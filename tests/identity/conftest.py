import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory

from aspa.integrations.suomifi import test_idp


@pytest.fixture
def test_idp_on(settings):
    settings.SAML_TEST_IDP = True
    settings.SAML_IDP_METADATA = ""
    settings.DEMO_MODE = False


def form_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


class SamlBrowser:
    """A browser that signs in through the test identity provider, step by step."""

    def __init__(self, client: Client):
        self.client = client

    def start(self, next_url: str = "/") -> dict:
        """Start a login up to the test IdP's person list; returns the pending answer's data."""
        response = self.client.get("/saml/login/", {"next": next_url})
        assert response.status_code == 302, response.content
        location = urlsplit(response["Location"])
        assert location.path == "/saml/test-idp/"
        page = self.client.get(f"{location.path}?{location.query}")
        assert page.status_code == 200, page.content
        return self.client.session[test_idp.PENDING_SESSION_KEY]

    def choose(self, national_id: str):
        """Choose a person at the test IdP; returns the auto-submitting page."""
        return self.client.post("/saml/test-idp/", {"national_id": national_id})

    def post_to_acs(self, saml_response: str, relay_state: str = ""):
        return self.client.post("/saml/acs/", {"SAMLResponse": saml_response, "RelayState": relay_state})

    def login_as(self, national_id: str, next_url: str = "/"):
        self.start(next_url)
        page = self.choose(national_id)
        assert page.status_code == 200, page.content
        return self.post_to_acs(form_fields(page.content.decode())["SAMLResponse"])


@pytest.fixture
def browser(db, test_idp_on):
    return SamlBrowser(Client())


@pytest.fixture
def site_request():
    """A request at the test server's address, for building SAML messages outside a view."""
    return RequestFactory().get("/")
