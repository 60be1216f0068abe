"""The frame every page shares: strict CSP kept, scripts carry the nonce, error pages in our look."""

import json
import re

from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import translation

from aspa.identity.models import Role
from tests.factories.identity import UserFactory


def test_every_script_carries_the_nonce_of_the_content_security_policy(db):
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    page = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts, "htmx is loaded"
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)
    assert "style=" not in page
    assert "<style" not in page


def test_vendored_assets_are_served(db):
    client = Client()
    for path in ["/static/vendor/htmx/htmx.min.js", "/static/vendor/hds/base.min.css",
                 "/static/vendor/hds/components.min.css", "/static/aspa/aspa.css"]:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_unknown_page_gets_our_not_found_page(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'href="#main"' in page


def test_server_error_page_renders_without_a_request(db):
    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert '<html lang="en">' in page


@override_settings(DEBUG=False)
def test_forbidden_page_explains_the_desk_to_a_resident(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(role=Role.RESIDENT))
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "This is the staff desk" in response.content.decode()


def test_htmx_keeps_no_copies_of_pages_in_the_browser_storage(db):
    page = Client().get("/login/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    settings = json.loads(config)
    assert settings["historyCacheSize"] == 0
    assert settings["includeIndicatorStyles"] is False
    assert settings["allowEval"] is False
