"""The service provider's metadata, single logout in both directions, and the test identity
provider existing only when switched on."""

from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from saml2 import BINDING_HTTP_REDIRECT
from saml2.ident import decode

from aspa.integrations.suomifi import config

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
MATTI = "150385-9013"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_sp_metadata_is_xml_naming_the_assertion_consumer_and_the_keys(client, db, test_idp_on):
    response = client.get("/saml/metadata/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    root = ElementTree.fromstring(response.content)
    assert root.get("entityID") == "http://testserver/saml/metadata/"
    sp = root.find(f"{MD}SPSSODescriptor")
    assert (sp.get("AuthnRequestsSigned"), sp.get("WantAssertionsSigned")) == ("true", "true")
    acs = sp.find(f"{MD}AssertionConsumerService")
    assert acs.get("Location") == "http://testserver/saml/acs/"
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    assert sp.find(f"{MD}SingleLogoutService").get("Location") == "http://testserver/saml/sls/"
    assert {key.get("use") for key in sp.findall(f"{MD}KeyDescriptor")} == {"signing", "encryption"}


def test_sp_metadata_uses_the_configured_public_address(client, db, settings):
    settings.SAML_BASE_URL = "https://asiointi.esimerkkila.fi"

    root = ElementTree.fromstring(client.get("/saml/metadata/").content)

    assert root.get("entityID") == "https://asiointi.esimerkkila.fi/saml/metadata/"
    acs = root.find(f"{MD}SPSSODescriptor/{MD}AssertionConsumerService")
    assert acs.get("Location") == "https://asiointi.esimerkkila.fi/saml/acs/"


def test_signing_out_ends_the_session_here_and_at_the_identity_provider(browser):
    browser.login_as(MATTI)

    page = browser.client.post("/saml/logout/")

    assert page.status_code == 200
    assert "_auth_user_id" not in browser.client.session
    location = page.context["location"]
    assert location.startswith("http://testserver/saml/test-idp/logout/?SAMLRequest=")
    assert "Signature=" in location
    at_idp = browser.client.get(path_of(location))
    assert at_idp.status_code == 302 and urlsplit(at_idp["Location"]).path == "/saml/sls/"
    back = browser.client.get(path_of(at_idp["Location"]))
    assert (back.status_code, back["Location"]) == (302, "/")


def test_signing_out_is_a_post(browser):
    browser.login_as(MATTI)

    assert browser.client.get("/saml/logout/").status_code == 405
    assert "_auth_user_id" in browser.client.session


def _logout_request_from_idp(site_request, name_id: str, sign: bool = True) -> str:
    server = config.test_identity_provider(site_request)
    sp_entity_id = "http://testserver/saml/metadata/"
    _id, logout_request = server.create_logout_request(
        "http://testserver/saml/sls/", sp_entity_id, name_id=decode(name_id), sign=False)
    http_info = server.apply_binding(BINDING_HTTP_REDIRECT, str(logout_request), "http://testserver/saml/sls/",
                                     sign=sign, sigalg=config.SIGNING_ALGORITHM)
    return path_of(dict(http_info["headers"])["Location"])


def test_identity_provider_can_end_the_session(browser, site_request):
    browser.login_as(MATTI)
    name_id = browser.client.session["aspa_saml"]["name_id"]

    response = browser.client.get(_logout_request_from_idp(site_request, name_id))

    assert response.status_code == 302
    assert response["Location"].startswith("http://testserver/saml/test-idp/logout/?SAMLResponse=")
    assert "_auth_user_id" not in browser.client.session


def test_an_unsigned_logout_request_does_not_end_the_session(browser, site_request):
    browser.login_as(MATTI)
    name_id = browser.client.session["aspa_saml"]["name_id"]

    response = browser.client.get(_logout_request_from_idp(site_request, name_id, sign=False))

    assert response.status_code == 400
    assert "_auth_user_id" in browser.client.session


@pytest.mark.parametrize("path", ["/saml/test-idp/", "/saml/test-idp/metadata/", "/saml/test-idp/logout/"])
def test_the_test_identity_provider_does_not_exist_unless_switched_on(client, db, settings, path):
    settings.SAML_TEST_IDP = False
    settings.DEMO_MODE = False

    assert client.get(path).status_code == 404


def test_demo_mode_switches_the_test_identity_provider_on(client, db, settings):
    settings.SAML_TEST_IDP = False
    settings.DEMO_MODE = True

    response = client.get("/saml/test-idp/metadata/")

    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.get("entityID") == "http://testserver/saml/test-idp/metadata/"


def test_without_any_identity_provider_login_says_it_is_not_available(client, db, settings):
    settings.SAML_TEST_IDP = False
    settings.DEMO_MODE = False
    settings.SAML_IDP_METADATA = ""

    response = client.get("/saml/login/")

    assert response.status_code == 503


def test_login_goes_to_the_identity_provider_named_in_the_metadata_file(client, db, settings, tmp_path,
                                                                         site_request):
    settings.SAML_TEST_IDP = True
    metadata_file = tmp_path / "idp-metadata.xml"
    # Any real IdP's metadata will do; the test IdP's is at hand.
    metadata_file.write_bytes(config.test_idp_metadata(site_request))
    settings.SAML_TEST_IDP = False
    settings.SAML_IDP_METADATA = str(metadata_file)

    response = client.get("/saml/login/", {"next": "/omat/"})

    assert response.status_code == 302
    assert response["Location"].startswith("http://testserver/saml/test-idp/?SAMLRequest=")
    assert "SigAlg=" in response["Location"] and "Signature=" in response["Location"]
    cookie = response.cookies["aspa_saml"]
    assert cookie["httponly"] and cookie["path"] == "/saml/"
