"""Each desk page's own keys in the real Chromium: on a request page "f" opens the forward form
with the focus in its first field and "e" the redirect form, whose organisation brings its
guidance; on the contact screen a digit chooses the outcome; no key fires while typing; the
help lists the page's keys and passes axe in fi, sv and en."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.test_contact_flow import CONTACT_SCREEN
from tests.browser.test_desk_in_the_browser import LANGUAGES, sign_in, switch_language
from tests.desk.contact_factories import make_contact_world
from tests.desk.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDANCE = {"fi": "Kelan asiat hoidetaan Kelan palvelunumerossa.",
            "sv": "FPA:s ärenden sköts via FPA:s servicenummer.",
            "en": "Kela's matters are handled at Kela's service number."}


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def leave_the_fields(page) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")


def test_a_key_opens_the_request_actions_form_with_the_focus_in_its_first_field(live_server, page, catalogue):
    world = make_contact_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{world.desk.mine.number}/")
    assert page.locator("#action-forward").get_attribute("open") is None

    page.keyboard.press("f")
    assert page.locator("#action-forward").get_attribute("open") is not None
    assert focused_id(page) == "id_forward_to_user"

    # Typing in a field types: "r" in the note does not open the resolve form.
    page.locator("#id_forward_note").click()
    page.keyboard.type("r")
    assert page.locator("#id_forward_note").input_value() == "r"
    assert page.locator("#action-resolve").get_attribute("open") is None

    # The help lists this page's keys; Escape gives the focus back.
    leave_the_fields(page)
    page.keyboard.press("?")
    help_dialog = page.locator("#desk-shortcuts")
    assert help_dialog.is_visible()
    listed = help_dialog.locator("#page-shortcuts").inner_text()
    assert "Forward" in listed and "Resolve" in listed and "Redirect elsewhere" in listed
    page.keyboard.press("Escape")
    assert not help_dialog.is_visible()
    assert page.problems == []


def test_redirect_by_key_shows_the_guidance_and_the_page_is_accessible_in_every_language(live_server, page,
                                                                                          catalogue):
    world = make_contact_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{world.desk.mine.number}/")
    for code in LANGUAGES:
        switch_language(page, code)
        leave_the_fields(page)
        page.keyboard.press("e")
        assert focused_id(page) == "id_redirect_organisation"
        page.select_option("#id_redirect_organisation", "kela")
        page.locator("#redirect-guidance", has_text=GUIDANCE[code]).wait_for()
        # The guidance arriving does not take the focus away from the list.
        assert focused_id(page) == "id_redirect_organisation"
        assert_accessible(page, f"the request page with the redirect form and its guidance ({code})")
        leave_the_fields(page)
        page.keyboard.press("?")
        assert_accessible(page, f"the keyboard help of the request page ({code})")
        page.keyboard.press("Escape")
    assert page.problems == []


def test_a_digit_chooses_the_contacts_outcome_but_not_while_typing(live_server, page, catalogue):
    make_contact_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/contacts/new/")
    page.locator("form.aspa-contact-start button[type=submit]").click()
    page.wait_for_url(CONTACT_SCREEN)
    assert focused_id(page) == "id_party"  # the customer search has the focus: digits are a phone number
    page.keyboard.type("3")
    assert page.locator("#outcome-answered").is_checked()

    leave_the_fields(page)
    page.keyboard.press("3")
    assert page.locator("#outcome-forwarded").is_checked()
    assert focused_id(page) == "outcome-forwarded"
    assert page.locator("[data-outcomes='forwarded']").is_visible()
    page.keyboard.press("t")
    assert focused_id(page) == "id_topics"
    leave_the_fields(page)
    page.keyboard.press("w")
    assert focused_id(page) == "id_notes"
    leave_the_fields(page)
    page.keyboard.press("1")
    assert page.locator("#outcome-answered").is_checked()
    assert page.locator("[data-outcomes='forwarded']").is_hidden()
    page.keyboard.press("?")
    assert page.locator("#page-shortcuts").inner_text().count("Outcome:") == 4
    assert_accessible(page, "the keyboard help of the contact screen")
    # The customer search answered the "3" typed at first; nothing else may go wrong.
    assert page.problems == []
