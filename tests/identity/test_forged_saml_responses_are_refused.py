"""Answers a real identity provider must not give, or that an attacker replays or alters, are
refused and log nobody in."""

import base64

import pytest
import saml2.assertion
import saml2.time_util
from django.test import Client

from aspa.customers.models import Party
from aspa.integrations.suomifi import test_idp
from tests.identity.conftest import SamlBrowser, form_fields

MATTI = "150385-9013"
AINO = "020290-9027"


def encoded(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def assert_refused(response, client):
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not Party.objects.filter(national_id__in=[MATTI, AINO]).exists()


def test_a_response_altered_after_signing_is_refused(browser, site_request):
    pending = browser.start()
    xml = test_idp.issue_response(site_request, test_idp.find_person(MATTI), pending, encrypt=False)
    assert MATTI in xml

    response = browser.post_to_acs(encoded(xml.replace(MATTI, AINO)))

    assert_refused(response, browser.client)


def test_the_untampered_plain_response_is_accepted(browser, site_request):
    # The counterpart of the test above: the same unencrypted response, unaltered, logs in.
    pending = browser.start()
    xml = test_idp.issue_response(site_request, test_idp.find_person(MATTI), pending, encrypt=False)

    response = browser.post_to_acs(encoded(xml))

    assert response.status_code == 302
    assert Party.objects.filter(national_id=MATTI).exists()


def test_an_unsigned_assertion_is_refused(browser, site_request):
    pending = browser.start()
    xml = test_idp.issue_response(site_request, test_idp.find_person(MATTI), pending,
                                  encrypt=False, sign_assertion=False)

    assert_refused(browser.post_to_acs(encoded(xml)), browser.client)


def test_a_response_for_another_service_is_refused(browser, site_request, monkeypatch):
    pending = browser.start()
    # The identity provider signs an assertion whose audience is another service.
    conditions = saml2.assertion.Policy.conditions
    monkeypatch.setattr(saml2.assertion.Policy, "conditions",
                        lambda policy, _sp: conditions(policy, "https://muu-palvelu.example/saml/metadata/"))
    xml = test_idp.issue_response(site_request, test_idp.find_person(MATTI), pending, encrypt=False)
    monkeypatch.undo()
    assert "https://muu-palvelu.example/saml/metadata/" in xml

    assert_refused(browser.post_to_acs(encoded(xml)), browser.client)


def test_a_response_used_once_is_refused_the_second_time(browser):
    browser.start()
    saml_response = form_fields(browser.choose(MATTI).content.decode())["SAMLResponse"]
    outstanding_cookie = browser.client.cookies["aspa_saml"].value
    assert browser.post_to_acs(saml_response).status_code == 302
    browser.client.logout()

    # The same browser posts it again, even with the request still outstanding in its cookie.
    browser.client.cookies["aspa_saml"] = outstanding_cookie
    response = browser.post_to_acs(saml_response)

    assert response.status_code == 403
    assert "_auth_user_id" not in browser.client.session


def test_a_response_to_another_browsers_request_is_refused(browser, test_idp_on):
    browser.start()
    saml_response = form_fields(browser.choose(MATTI).content.decode())["SAMLResponse"]
    other = SamlBrowser(Client())
    other.start()  # The other browser has a request of its own outstanding, just not this one.

    assert_refused(other.post_to_acs(saml_response), other.client)


def test_an_expired_response_is_refused(browser, monkeypatch):
    browser.start()
    saml_response = form_fields(browser.choose(MATTI).content.decode())["SAMLResponse"]
    now = saml2.time_util.utc_now
    # The test IdP's assertions are valid for five minutes; ten minutes have passed.
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: now() + 600)

    assert_refused(browser.post_to_acs(saml_response), browser.client)


@pytest.mark.parametrize("body", [{}, {"SAMLResponse": "bm90IFNBTUw="}, {"SAMLResponse": "%%%"}])
def test_garbage_is_refused(browser, body):
    browser.start()

    assert_refused(browser.client.post("/saml/acs/", body), browser.client)
