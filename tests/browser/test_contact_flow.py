"""The contact screen in the real Chromium: the whole contact from the desk to the confirmation
with the keyboard only, forwarding with a contact request that the expert then marks done, and
axe-core on every contact page in Finnish, Swedish and English."""

import re
import time

import pytest

from aspa.contacts.models import Contact, ContactRequest
from aspa.requests.models import ServiceRequest
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import LANGUAGES, sign_in, switch_language, tab_until
from tests.desk.contact_factories import CUSTOMER_PHONE_TYPED, make_contact_world
from tests.desk.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def choose(page, input_id: str) -> None:
    """Click the label: HDS draws its own radio buttons and checkboxes over the inputs."""
    page.locator(f"label[for='{input_id}']").click()
    assert page.locator(f"#{input_id}").is_checked()


CONTACT_SCREEN = re.compile(r"/desk/contacts/\d+/$")


def test_a_contact_from_the_desk_to_the_confirmation_with_the_keyboard_only(live_server, page, catalogue):
    world = make_contact_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.locator("#new-contact-link").wait_for()  # the contact card is loaded after the desk
    started = time.monotonic()
    tab_until(page, lambda focused: focused["id"] == "new-contact-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/contacts/new/")
    # The Start button has the focus (autofocus, which the browser applies after the page renders,
    # so wait for it on a busy machine): Enter starts the timer.
    page.wait_for_function("() => document.activeElement && document.activeElement.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(CONTACT_SCREEN)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === \'id_party\'")
    page.keyboard.type(CUSTOMER_PHONE_TYPED)
    page.keyboard.press("Enter")  # searches at once; does not submit the contact
    chosen = page.locator(f"#party-{world.desk.customer.pk}")
    chosen.wait_for()
    assert chosen.is_checked()
    tab_until(page, lambda focused: focused["id"] == "id_topics")
    page.keyboard.type("neuvonta")
    page.locator("#topic-yleisneuvonta").wait_for()
    tab_until(page, lambda focused: focused["id"] == "topic-yleisneuvonta")
    page.keyboard.press("Space")
    assert page.locator("#topic-yleisneuvonta").is_checked()
    tab_until(page, lambda focused: focused["id"] == "id_notes")
    page.keyboard.type("Kysyi jäteastian tyhjennyksestä.")
    # "Answered" is the outcome already chosen; the fields of the other outcomes are hidden.
    assert page.locator("#outcome-answered").is_checked()
    assert page.locator("[data-outcomes='forwarded']").is_hidden()
    tab_until(page, lambda focused: focused["tag"] == "BUTTON" and "Record and end" in focused["text"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/done/")
    elapsed = time.monotonic() - started
    assert page.get_by_role("heading", level=1).inner_text() == "Contact recorded"
    print(f"\nKeyboard-only contact from the desk to the confirmation took {elapsed:.1f} s")
    contact = Contact.objects.get()
    assert (contact.outcome, contact.party, contact.channel.code) == ("answered", world.desk.customer, "service_point")
    assert list(contact.topics.values_list("code", flat=True)) == ["yleisneuvonta"]
    # The confirmation puts the focus on "New contact": the next caller is one Enter away.
    assert page.evaluate("document.activeElement.textContent.trim()") == "New contact"
    assert page.problems == []


def test_forward_with_a_contact_request_that_the_expert_marks_done(live_server, page, catalogue, browser):
    world = make_contact_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/contacts/new/?party={world.desk.customer.pk}")
    choose(page, "id_channel_phone")
    page.get_by_role("button", name="Start contact").click()
    page.wait_for_url(CONTACT_SCREEN)
    assert page.locator(f"#party-{world.desk.customer.pk}").is_checked()
    page.fill("#id_topics", "garage")
    choose(page, "topic-rakennuslupa")
    page.fill("#id_notes", "Haluaa keskustella autotallin luvasta asiantuntijan kanssa.")
    choose(page, "outcome-forwarded")
    assert page.locator("[data-outcomes='forwarded']").is_visible()
    page.select_option("#id_request_type", "question")
    page.select_option("#id_forward_to", f"user:{world.desk.expert.pk}")
    page.fill("#id_about", "Soita asiakkaalle autotallin luvasta.")
    page.get_by_role("button", name="Record and end the contact").click()
    page.wait_for_url("**/done/")
    forwarded = ServiceRequest.objects.get(status="forwarded")
    assert forwarded.number in page.locator("main").inner_text()
    assert_accessible(page, "the confirmation of a forwarded contact")
    contact_request = ContactRequest.objects.get()
    assert (contact_request.assignee, contact_request.service_request) == (world.desk.expert, forwarded)

    expert_context = browser.new_context()
    expert_page = expert_context.new_page()
    sign_in(expert_page, live_server.url, "asiantuntija", PASSWORD)
    expert_page.locator("#callbacks").wait_for()
    expert_page.goto(f"{live_server.url}/desk/contacts/requests/")
    assert "Soita asiakkaalle autotallin luvasta." in expert_page.locator("table").inner_text()
    expert_page.fill(f"#note-{contact_request.pk}", "Soitettu, ohjattu hakemaan lupaa.")
    expert_page.locator(f"#note-{contact_request.pk}").press("Enter")
    # The expert reads the desk in Finnish: the confirmation is in a status message, the row is gone.
    expert_page.locator(f"#note-{contact_request.pk}").wait_for(state="detached")
    assert expert_page.locator(".aspa-messages [role=status]").count() == 1
    expert_context.close()
    contact_request.refresh_from_db()
    assert contact_request.status == "done"
    assert page.problems == []


def test_contact_pages_are_accessible_in_every_language(live_server, page, catalogue):
    world = make_contact_world(catalogue)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    for code in LANGUAGES:
        page.goto(f"{live_server.url}/desk/")
        switch_language(page, code)
        page.locator("#callbacks").wait_for()
        assert_accessible(page, f"the desk with its contact card ({code})")
        page.goto(f"{live_server.url}/desk/contacts/new/")
        assert_accessible(page, f"the start of a new contact ({code})")
        page.locator("form.aspa-contact-start button[type=submit]").click()
        page.wait_for_url(CONTACT_SCREEN)
        page.fill("#id_party", CUSTOMER_PHONE_TYPED)
        page.locator(f"#party-{world.desk.customer.pk}").wait_for()
        assert_accessible(page, f"the contact screen ({code})")
        # Refused: no topic, a redirect without guidance.
        choose(page, "outcome-redirected")
        page.select_option("#id_request_type", "question")
        page.select_option("#id_organisation", "kela")
        page.locator("#organisation-guidance p").first.wait_for()
        page.locator("#contact-form button[type=submit]").click()
        page.locator("#contact-errors").wait_for()
        page.wait_for_function("() => document.activeElement && document.activeElement.id === \'contact-errors\'")
        assert page.locator("#id_topics-error").is_visible() and page.locator("#id_guidance-error").is_visible()
        assert_accessible(page, f"the contact screen with errors ({code})")
        page.goto(f"{live_server.url}/desk/contacts/requests/")
        assert_accessible(page, f"the contact request list ({code})")
    # The refused submits answer 422 on purpose; Chromium logs that, and nothing else may go wrong.
    assert [problem for problem in page.problems if "status of 422" not in problem] == []
