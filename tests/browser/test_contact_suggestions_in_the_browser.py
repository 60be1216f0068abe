"""The real Chromium: on the contact screen the advisor writes the notes, the routing classifier's
suggestion appears under the topic search with its confidence, one tick adds it as a topic (the
topic list shows it too, and clearing either box clears both), and the filed request has that
service. The screen with suggestions passes axe."""

import re

import pytest

from aspa.contacts.models import Contact
from aspa.requests.models import ServiceRequest
from aspa.routing import operations
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import sign_in
from tests.desk.contact_factories import make_contact_world
from tests.desk.factories import PASSWORD
from tests.routing.conftest import synthetic_examples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Asiakas rakentaa autotallia ja kysyy, tarvitaanko rakennuslupa."


def click_label(page, input_id: str) -> None:
    """HDS draws its own checkboxes over the inputs: the label is what a person clicks."""
    page.locator(f"label[for='{input_id}']").click()


def test_a_suggested_topic_is_ticked_and_the_request_is_filed_with_it(live_server, page, catalogue, settings):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01  # the service comes from the advisor's tick alone
    world = make_contact_world(catalogue)
    operations.train_classifier(synthetic_examples(), source="tests", trained_by="tests")
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/contacts/new/?party={world.desk.customer.pk}")
    page.get_by_role("button", name="Start contact").click()
    page.wait_for_url(re.compile(r"/desk/contacts/\d+/$"))
    # No notes yet: nothing is suggested, and nothing is announced.
    assert page.locator("#topic-suggestions input").count() == 0
    assert page.locator("#suggestion-status").inner_text() == ""

    page.locator("#id_notes").press_sequentially(NOTES[:40])
    page.locator("#id_notes").press_sequentially(NOTES[40:])
    suggestion = page.locator("#suggested-rakennuslupa")
    suggestion.wait_for(state="attached")
    label = page.locator("label[for='suggested-rakennuslupa']").inner_text()
    assert re.fullmatch(r"Rakennuslupa \(en\) – Rakennusvalvonta \(en\) \(confidence \d{1,3} %\)", label), label
    assert re.fullmatch(r"\d services? suggested from the notes\.", page.locator("#suggestion-status").inner_text())
    assert_accessible(page, "the contact screen with suggested topics")

    click_label(page, "suggested-rakennuslupa")
    assert suggestion.is_checked()
    # The topic list takes the ticked suggestion; the two boxes are one topic.
    topic = page.locator("#topic-rakennuslupa")
    topic.wait_for(state="attached")
    assert topic.is_checked()
    click_label(page, "topic-rakennuslupa")
    assert not topic.is_checked() and not suggestion.is_checked()
    click_label(page, "suggested-rakennuslupa")
    page.wait_for_load_state("networkidle")
    assert page.locator("#topic-rakennuslupa").is_checked() and suggestion.is_checked()

    click_label(page, "outcome-request_filed")
    page.select_option("#id_request_type", "application")
    page.wait_for_load_state("networkidle")
    # Asked again for the chosen request type, the suggestion is still there and still ticked.
    assert page.locator("#suggested-rakennuslupa").is_checked()
    assert_accessible(page, "the contact screen with a suggested topic ticked")
    page.get_by_role("button", name="Record and end the contact").click()
    page.wait_for_url("**/done/")

    contact = Contact.objects.get()
    filed = ServiceRequest.objects.get(contacts=contact)
    assert (filed.service.code, filed.type.code, filed.party, filed.description) == (
        "rakennuslupa", "application", world.desk.customer, NOTES)
    assert list(contact.topics.values_list("code", flat=True)) == ["rakennuslupa"]
    assert filed.number in page.locator("main").inner_text()
    assert page.problems == []
