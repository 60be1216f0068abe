"""The demo's test identity provider is the first page a resident of the demo sees: it passes
axe-core in fi, sv and en and fits a 320 px screen."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.test_portal_in_the_browser import LANGUAGES, fits_the_width, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_list_of_test_persons_is_accessible_and_fits_a_phone(live_server, page, settings):
    settings.SAML_TEST_IDP = True
    settings.SAML_IDP_METADATA = ""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/saml/test-idp/")
    for code in LANGUAGES:
        switch_language(page, code)
        assert_accessible(page, f"the test identity provider ({code})")
        assert fits_the_width(page), f"the test identity provider ({code}) scrolls sideways at 320 px"
    assert page.problems == []
