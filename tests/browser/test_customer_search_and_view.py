"""The real Chromium: an advisor finds a customer from a phone number typed with spaces, opens
the customer view and reveals the identity code with the keyboard alone; the keyboard help
opens with "?" and closes with Escape; search results and the customer view pass axe-core in
fi, sv and en."""

import pytest

from aspa.audit.models import AuditAction, AuditEntry
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import (
    LANGUAGES,
    focus_outline,
    sign_in,
    switch_language,
    tab_until,
)
from tests.desk.customer_world import give_details, give_history, history_request, person
from tests.desk.factories import PASSWORD, make_desk_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active(page) -> dict:
    return page.evaluate("""() => {
        const element = document.activeElement;
        return {tag: element.tagName, id: element.id, text: element.textContent.trim(),
                href: element.getAttribute('href'), inDialog: !!element.closest('dialog')};
    }""")


def test_phone_number_with_spaces_finds_the_customer_and_the_keyboard_opens_and_reveals(live_server, page, catalogue):
    make_desk_world(catalogue, advisor_language="en")
    maija = person("Maija", "Hämäläinen", phone="+358401234567")
    sign_in(page, live_server.url, "neuvoja", PASSWORD)

    page.keyboard.press("/")
    assert active(page)["id"] == "desk-search-input"
    page.keyboard.type("040 123 4567")
    result = page.locator("#desk-search-results a", has_text="Maija Hämäläinen")
    result.wait_for()
    assert page.locator("#desk-search-status").inner_text() == "1 customer found. 0 requests found."
    page.keyboard.press("ArrowDown")
    assert active(page)["href"] == f"/desk/customers/{maija.pk}/"
    assert focus_outline(page)["visible"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/desk/customers/{maija.pk}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Maija Hämäläinen"
    assert maija.national_id not in page.locator("main").inner_text()

    tab_until(page, lambda focused: focused["text"] == "Show identity code")
    page.keyboard.press("Enter")
    revealed = page.locator("#identity-code-value")
    revealed.wait_for()
    assert revealed.inner_text() == maija.national_id
    # The button is gone; the focus moved to the code, not lost to the page. htmx moves it after
    # the swap has settled, a moment after the code appears: wait for it (up to the default timeout).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'identity-code-value'")
    assert active(page)["id"] == "identity-code-value"
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, party_id=maija.pk).count() == 1
    assert page.problems == []


def test_help_overlay_opens_with_question_mark_traps_focus_and_closes_with_escape(live_server, page, catalogue):
    make_desk_world(catalogue, advisor_language="en")
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")

    tab_until(page, lambda focused: focused["text"] == "My requests")
    page.keyboard.press("?")
    assert dialog.is_visible()
    assert dialog.get_attribute("aria-modal") == "true"
    assert active(page)["inDialog"]
    for _stop in range(4):
        page.keyboard.press("Tab")
        assert active(page)["inDialog"]
    page.keyboard.press("Shift+Tab")
    assert active(page)["inDialog"]
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert active(page)["text"] == "My requests"

    # The visible button opens it too, and the Close button gives the focus back to it.
    button = page.get_by_role("button", name="Keyboard shortcuts")
    button.focus()
    page.keyboard.press("Enter")
    assert dialog.is_visible()
    page.get_by_role("button", name="Close").press("Enter")
    assert not dialog.is_visible()
    assert active(page)["text"].startswith("Keyboard shortcuts")
    assert page.problems == []


def test_shortcuts_do_not_fire_while_typing(live_server, page, catalogue):
    make_desk_world(catalogue, advisor_language="en")
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.keyboard.press("/")
    page.keyboard.type("n?/")
    assert page.locator("#desk-search-input").input_value() == "n?/"
    assert not page.get_by_role("dialog").is_visible()
    assert page.url == f"{live_server.url}/desk/"
    # Out of the field, "n" starts a new contact.
    page.keyboard.press("Escape")
    page.locator("h1").click()
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url.startswith(f"{live_server.url}/desk/contacts/new/")


def test_search_and_customer_view_are_accessible_in_every_language(live_server, page, catalogue):
    world = make_desk_world(catalogue, advisor_language="fi")
    maija = person("Maija", "Hämäläinen")
    give_details(catalogue, maija)
    give_history(catalogue, maija, world.colleague, 22)
    history_request(maija, status="waiting", service=catalogue.permit)
    protected = person("Salla", "Suojattu", phone="+358402222222", email=None, non_disclosure=True)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    for code in LANGUAGES:
        switch_language(page, code)
        # The results under the box while typing.
        page.locator("#desk-search-input").fill("hämäläinen")
        page.locator("#desk-search-results a").first.wait_for()
        assert_accessible(page, f"the search results while typing ({code})")
        page.goto(f"{live_server.url}/desk/search/?q=h%C3%A4m%C3%A4l%C3%A4inen")
        assert page.locator("main a", has_text="Maija Hämäläinen").count() == 1
        assert_accessible(page, f"the search results page ({code})")
        page.goto(f"{live_server.url}/desk/search/?q=nobody")
        assert_accessible(page, f"the search results page with nothing found ({code})")
        page.goto(f"{live_server.url}/desk/customers/{maija.pk}/")
        assert_accessible(page, f"the customer view ({code})")
        page.locator("#identity-code button").click()
        page.locator("#identity-code-value").wait_for()
        assert_accessible(page, f"the customer view with the identity code shown ({code})")
        page.goto(f"{live_server.url}/desk/customers/{protected.pk}/")
        assert_accessible(page, f"the customer view of a protected person ({code})")
        page.keyboard.press("?")
        assert_accessible(page, f"the keyboard help ({code})")
        page.keyboard.press("Escape")
    assert page.problems == []
