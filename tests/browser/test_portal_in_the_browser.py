"""The real Chromium: a resident's errands and an errand's page pass axe-core in fi, sv and en,
and stay usable on a 320 px wide phone screen without sideways scrolling."""

import pytest

from tests.browser.axe import assert_accessible
from tests.portal.factories import QUESTION, make_portal_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
HEADINGS = {"fi": "Omat asiani", "sv": "Mina ärenden", "en": "My errands"}


def switch_language(page, code: str) -> None:
    page.get_by_role("button", name=LANGUAGES[code], exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


def sign_in_as_resident(page, base_url: str) -> None:
    # The password sign-in stands in for strong identification here (tests/identity covers SAML);
    # a resident who signs in is taken to the portal.
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", "maija")
    page.fill("#id_password", "correct horse battery")
    with page.expect_navigation():
        page.locator("form.aspa-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{base_url}/portal/"


def fits_the_width(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_anonymous_portal_page_offers_strong_identification(live_server, page, db):
    page.goto(f"{live_server.url}/portal/")
    for code in LANGUAGES:
        switch_language(page, code)
        assert_accessible(page, f"the portal's sign-in page ({code})")
    assert page.get_by_role("link", name="Sign in with strong identification").get_attribute("href") == (
        "/saml/login/?next=%2Fportal%2F")
    assert page.problems == []


def test_my_errands_and_an_errand_page_are_accessible_in_every_language_and_at_320_px(live_server, page, catalogue):
    world = make_portal_world(catalogue)
    sign_in_as_resident(page, live_server.url)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            page.goto(f"{live_server.url}/portal/")
            switch_language(page, code)
            assert page.get_by_role("heading", level=1).inner_text() == HEADINGS[code]
            assert world.neighbours.number not in page.content()
            assert_accessible(page, f"my errands ({code}, {width} px)")
            assert fits_the_width(page), f"my errands scroll sideways at {width} px ({code})"

            page.locator(f"a[href='/portal/requests/{world.waiting.number}/']").click()
            page.wait_for_load_state()
            assert QUESTION in page.locator("main").inner_text()
            assert_accessible(page, f"an errand's page ({code}, {width} px)")
            assert fits_the_width(page), f"an errand's page scrolls sideways at {width} px ({code})"

            page.goto(f"{live_server.url}/portal/me/")
            assert_accessible(page, f"my details ({code}, {width} px)")
            assert fits_the_width(page), f"my details scroll sideways at {width} px ({code})"
    assert page.problems == []
    # Another resident's errand does not exist as far as this resident can tell.
    response = page.goto(f"{live_server.url}/portal/requests/{world.neighbours.number}/")
    assert response.status == 404
    assert "Naapurin asia" not in page.content()


def test_the_header_with_a_long_name_fits_a_320_px_screen_in_every_language(live_server, page, catalogue):
    # A real resident's full name from the population register, next to "(Invånare)" and the
    # sign-out button, pushed the button past the edge of a phone screen.
    world = make_portal_world(catalogue)
    world.resident.first_name, world.resident.last_name = "Maija-Liisa", "Meikäläinen-Virtanen"
    world.resident.save(update_fields=["first_name", "last_name"])
    sign_in_as_resident(page, live_server.url)
    page.set_viewport_size({"width": 320, "height": 800})
    for code in LANGUAGES:
        switch_language(page, code)
        assert fits_the_width(page), f"the header scrolls sideways at 320 px ({code})"
        sign_out = page.locator(".aspa-user button[type=submit]")
        assert sign_out.bounding_box()["x"] + sign_out.bounding_box()["width"] <= 320
    assert page.problems == []


def test_a_refused_form_puts_the_focus_on_the_first_field_in_error(live_server, page, catalogue):
    # The page comes back from the server scrolled to its top; on a phone the error is far below
    # and a screen reader would start from the beginning without hearing of it.
    world = make_portal_world(catalogue)
    sign_in_as_resident(page, live_server.url)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/portal/requests/{world.waiting.number}/")
    page.locator(f"form[action='/portal/requests/{world.waiting.number}/messages/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.wait_for_function("() => document.activeElement.name === 'body'")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-invalid')") == "true"

    page.goto(f"{live_server.url}/portal/me/")
    page.evaluate("() => document.querySelector('main form').noValidate = true")
    page.fill("#id_postal_code", "1234X")
    page.fill("#id_street", "Kirkkokatu 1")
    page.fill("#id_city", "Helsinki")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.wait_for_function("() => document.activeElement.id === 'id_postal_code'")
    # An unrefused page keeps the focus where the browser puts it.
    page.goto(f"{live_server.url}/portal/")
    assert page.evaluate("() => document.activeElement.tagName") == "BODY"
    assert [problem for problem in page.problems if "status of 422" not in problem] == []
