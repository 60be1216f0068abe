"""The real Chromium: every desk page passes axe-core in fi, sv and en, sign-in errors show,
and the whole path from sign-in to a request works from the keyboard with a visible focus."""

import pytest

from tests.browser.axe import assert_accessible
from tests.desk.factories import PASSWORD, make_desk_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
VIEWS = ["mine", "team", "unassigned", "overdue", "waiting"]


def switch_language(page, code: str) -> None:
    page.get_by_role("button", name=LANGUAGES[code], exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # Wait for the answer to the POST itself: wait_for_load_state() alone returns at once while
    # the sign-in page is still loaded, and the test's next goto would cancel the sign-in.
    with page.expect_navigation():
        page.locator("form.aspa-form button[type=submit]").click()
    page.wait_for_load_state()


def focus_outline(page) -> dict:
    return page.evaluate("""() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        return {tag: element.tagName, id: element.id, text: element.textContent.trim(),
                href: element.getAttribute('href'), style: style.outlineStyle,
                width: parseFloat(style.outlineWidth), visible: element.matches(':focus-visible')};
    }""")


def tab_until(page, predicate, limit: int = 40) -> dict:
    """Press Tab until the focused element matches; every stop on the way must show its focus."""
    for _step in range(limit):
        page.keyboard.press("Tab")
        focused = focus_outline(page)
        if focused["tag"] != "BODY":
            assert focused["visible"] and focused["style"] != "none" and focused["width"] >= 2, focused
        if predicate(focused):
            return focused
    raise AssertionError("the element was not reached with Tab")


def test_sign_in_page_is_accessible_in_every_language_and_tells_a_wrong_password(live_server, page, catalogue):
    make_desk_world(catalogue)
    page.goto(f"{live_server.url}/login/")
    for code in LANGUAGES:
        switch_language(page, code)
        assert_accessible(page, f"the sign-in page ({code})")
    page.fill("#id_username", "neuvoja")
    page.fill("#id_password", "not the password")
    page.locator("form.aspa-form button[type=submit]").click()
    alert = page.get_by_role("alert")
    assert "The username or password is wrong" in alert.inner_text()
    assert_accessible(page, "the sign-in page with an error")
    assert page.evaluate("typeof htmx") == "object"
    assert page.problems == []


def test_locked_out_and_resident_pages_are_accessible(live_server, page, catalogue, settings):
    make_desk_world(catalogue)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(page, live_server.url, "neuvoja", "not the password")
    assert page.get_by_role("heading", level=1).inner_text() in {
        "Sign-in locked for a while", "Kirjautuminen on lukittu hetkeksi", "Inloggningen är låst en stund"}
    assert_accessible(page, "the locked-out page")
    sign_in(page, live_server.url, "asukas", PASSWORD)
    assert page.url == f"{live_server.url}/portal/"  # a resident's place is the e-services
    # A resident is signed in but has no desk: the no-access page in the same frame.
    page.goto(f"{live_server.url}/desk/")
    assert page.locator("h1").count() == 1
    assert page.locator("main#main").count() == 1
    assert_accessible(page, "the no-access page")


def test_desk_pages_are_accessible_in_every_language(live_server, page, catalogue):
    world = make_desk_world(catalogue, advisor_language="fi")
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    assert page.url == f"{live_server.url}/desk/"
    assert page.locator("html").get_attribute("lang") == "fi"
    for code in LANGUAGES:
        switch_language(page, code)
        assert_accessible(page, f"the desk ({code})")
        for view in VIEWS:
            page.goto(f"{live_server.url}/desk/requests/?view={view}")
            assert_accessible(page, f"the list {view} ({code})")
        page.goto(f"{live_server.url}/desk/requests/{world.waiting.number}/")
        assert_accessible(page, f"the request page ({code})")
        page.goto(f"{live_server.url}/desk/requests/NO-SUCH-1/")
        assert_accessible(page, f"the not-found page ({code})")
        page.goto(f"{live_server.url}/desk/")
    assert [problem for problem in page.problems if "404" not in problem] == []


def test_keyboard_alone_signs_in_and_opens_a_request(live_server, page, catalogue):
    world = make_desk_world(catalogue, advisor_language="en")
    page.goto(f"{live_server.url}/login/")

    tab_until(page, lambda focused: focused["id"] == "id_username")
    page.keyboard.type("neuvoja")
    page.keyboard.press("Tab")
    assert focus_outline(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/desk/"

    tab_until(page, lambda focused: focused["text"] == "My requests")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/desk/requests/?view=mine")

    tab_until(page, lambda focused: focused["text"] == world.mine.number)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/desk/requests/{world.mine.number}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Service request {world.mine.number}"
    assert page.problems == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(live_server, page, catalogue):
    page.goto(f"{live_server.url}/login/")
    page.keyboard.press("Tab")
    focused = focus_outline(page)
    assert focused["href"] == "#main"
    assert page.locator(".aspa-skip-link").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === \'main\'")


def test_filtering_a_list_replaces_the_results_in_place(live_server, page, catalogue):
    world = make_desk_world(catalogue, advisor_language="en")
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/?view=unassigned")
    assert page.locator("tbody tr").count() == 3
    page.evaluate("window.notReloaded = true")
    page.select_option("#id_status", "waiting")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**status=waiting**")
    assert page.locator("tbody tr").count() == 1
    assert page.locator("tbody tr th").inner_text() == world.waiting.number
    # htmx swapped the results: the page itself was not loaded again, and the count was announced.
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_role("status").inner_text() == "1 request found."
    assert_accessible(page, "a filtered list")
    assert page.problems == []
