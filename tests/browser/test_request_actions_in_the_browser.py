"""The real Chromium: an advisor forwards a request to an expert, the expert resolves it with a
decision, and the advisor sees it resolved and the customer's email sent; the request page with
its action panel (with and without an error) and the supervisor's view pass axe in fi, sv and en."""

import pytest

from aspa.identity.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import LANGUAGES, sign_in, switch_language
from tests.desk.factories import PASSWORD, make_desk_world
from tests.factories.identity import UserFactory
from tests.factories.requests import with_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_action(page, key: str):
    page.locator(f"#action-{key} summary").click()


def submit(page, key: str):
    page.locator(f"#action-{key} button[type=submit]").click()


def wait_done(page) -> None:
    page.wait_for_function("() => document.getElementById('action-status').textContent.trim() !== ''")
    # The replaced page sends its first heartbeat; let it finish before anyone signs out.
    page.wait_for_load_state("networkidle")


def test_forwarded_request_is_resolved_by_the_expert_and_the_customer_told(live_server, page, catalogue, mailoutbox):
    world = make_desk_world(catalogue)
    with_email(world.customer, "maija@example.fi")
    number = world.mine.number

    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{number}/")
    # A mistake first: an empty note is refused next to its field, and the focus goes there.
    open_action(page, "note")
    submit(page, "note")
    error = page.locator("#id_note_body_error")
    error.wait_for()
    assert "This field is required." in error.inner_text()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === \'id_note_body\'")

    open_action(page, "forward")
    page.get_by_label("To a person").select_option(label="Aino Asiantuntija")
    page.get_by_label("Note to the handler").fill("Tarvitaan päätös autotallista.")
    page.get_by_role("button", name="Forward the request").click()
    wait_done(page)
    assert "Done: Forward." in page.locator("#action-status").inner_text()
    assert "Forwarded" in page.locator(".aspa-summary").inner_text()
    page.context.clear_cookies()

    sign_in(page, live_server.url, "asiantuntija", PASSWORD)
    page.goto(f"{live_server.url}/desk/inbox/")
    page.get_by_role("link", name=number).click()
    page.wait_for_load_state()
    # The expert works in Finnish.
    open_action(page, "resolve")
    page.locator("#id_resolve_resolution").fill("Lupa myönnetään ehdoin.")
    submit(page, "resolve")
    wait_done(page)
    page.context.clear_cookies()

    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{number}/")
    assert "Resolved" in page.locator(".aspa-summary").inner_text()
    history = page.locator(".aspa-history").inner_text()
    assert "Forwarded" in history and "Resolved" in history and "Aino Asiantuntija" in history
    sent = [email for email in mailoutbox if email.to == ["maija@example.fi"]]
    # The customer is told the resolution waits in the e-service; the email never carries it.
    assert any(f"/portal/requests/{number}/" in email.body for email in sent)
    assert not any("Lupa myönnetään ehdoin." in email.body for email in sent)
    assert page.problems == []


def test_request_page_with_its_action_panel_is_accessible_in_every_language(live_server, page, catalogue):
    world = make_desk_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{world.mine.number}/")
    for code in LANGUAGES:
        switch_language(page, code)
        for summary in page.locator("details.aspa-action summary").all():
            summary.click()  # every form open, so that axe checks each field
        assert_accessible(page, f"the request page with its actions ({code})")
        # A refused form: the error next to its field.
        page.locator("#action-resolve button[type=submit]").click()
        page.locator("#id_resolve_resolution_error").wait_for()
        assert_accessible(page, f"the request page with an error ({code})")
    assert page.problems == []


def test_supervisor_view_is_accessible_in_every_language(live_server, page, catalogue):
    make_desk_world(catalogue)
    UserFactory(username="esimies", role=Role.SUPERVISOR, department=catalogue.centre)
    sign_in(page, live_server.url, "esimies", PASSWORD)
    page.goto(f"{live_server.url}/desk/supervisor/")
    for code in LANGUAGES:
        switch_language(page, code)
        assert_accessible(page, f"the supervisor's view ({code})")
    # Reassign from the keyboard-reachable list: the first request to the colleague.
    page.locator("input[name=requests]").first.check()
    page.locator("#id_reassign_assignee").select_option(label="Kalle Kollega")
    page.locator("form[action$='/reassign/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#action-status").inner_text().strip() != ""
    assert_accessible(page, "the supervisor's view after reassigning")
    page.goto(f"{live_server.url}/desk/inbox/")
    assert_accessible(page, "the inbox")
    assert page.problems == []
