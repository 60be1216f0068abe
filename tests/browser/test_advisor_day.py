"""The issue's whole day in the real Chromium, with axe-core on every page on the way: the
advisor finds a customer from a phone number typed with spaces, answers a call and records it
resolved at first contact, takes a second call and forwards it to an expert with a contact
request; the expert resolves it from their inbox; the advisor sees it resolved and the
customer has been told by email in their own language (Swedish)."""

import re

import pytest

from aspa.contacts.models import Contact, ContactRequest, Outcome
from aspa.requests.models import Status
from tests.browser.axe import assert_accessible
from tests.browser.test_contact_flow import CONTACT_SCREEN, choose
from tests.browser.test_desk_in_the_browser import sign_in
from tests.browser.test_request_actions_in_the_browser import wait_done
from tests.desk.contact_factories import CUSTOMER_EMAIL, CUSTOMER_PHONE_TYPED, make_contact_world
from tests.desk.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button[type=submit]").click()
    page.wait_for_load_state()


def start_phone_contact_from_the_customer_view(page, customer) -> None:
    page.get_by_role("link", name="New contact with this customer").click()
    page.wait_for_url(re.compile(r"/desk/contacts/new/\?party=\d+$"))
    assert_accessible(page, "the start of a contact")
    choose(page, "id_channel_phone")
    page.get_by_role("button", name="Start contact").click()
    page.wait_for_url(CONTACT_SCREEN)
    assert page.locator(f"#party-{customer.pk}").is_checked()


def test_an_advisors_day_from_the_search_box_to_the_resolved_request(live_server, page, catalogue, mailoutbox):
    world = make_contact_world(catalogue)
    customer, expert = world.desk.customer, world.desk.expert
    customer.language = "sv"
    customer.save(update_fields=["language"])

    # The advisor finds the caller from the number they read out, with spaces.
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.locator("#callbacks").wait_for()
    assert_accessible(page, "the advisor's desk")
    page.locator("#desk-search-input").click()
    page.keyboard.type(CUSTOMER_PHONE_TYPED)
    found = page.locator("#desk-search-results a", has_text=customer.display_name)
    found.wait_for()
    assert_accessible(page, "the search results")
    found.click()
    page.wait_for_url(f"**/desk/customers/{customer.pk}/")
    assert page.get_by_role("link", name="040 1234567").get_attribute("href") == "tel:+358401234567"
    assert_accessible(page, "the customer view")

    # The first call is answered at once.
    start_phone_contact_from_the_customer_view(page, customer)
    page.fill("#id_topics", "neuvonta")
    choose(page, "topic-yleisneuvonta")
    page.fill("#id_notes", "Kysyi jäteastian tyhjennyksestä; vastattu.")
    assert page.locator("#outcome-answered").is_checked()
    assert_accessible(page, "the contact screen")
    page.get_by_role("button", name="Record and end the contact").click()
    page.wait_for_url("**/done/")
    assert_accessible(page, "the confirmation of an answered contact")
    answered = Contact.objects.get()
    assert (answered.outcome, answered.channel.code, answered.party) == (Outcome.ANSWERED, "phone", customer)

    # The second call needs an expert: a request, forwarded with a contact request.
    page.get_by_role("link", name=customer.display_name).click()
    page.wait_for_url(f"**/desk/customers/{customer.pk}/")
    start_phone_contact_from_the_customer_view(page, customer)
    page.fill("#id_topics", "garage")
    choose(page, "topic-rakennuslupa")
    page.fill("#id_notes", "Haluaa tietää, tarvitseeko autotalli luvan.")
    choose(page, "outcome-forwarded")
    page.select_option("#id_request_type", "question")
    page.select_option("#id_forward_to", f"user:{expert.pk}")
    page.fill("#id_about", "Soita asiakkaalle autotallin luvasta.")
    assert_accessible(page, "the contact screen forwarding to an expert")
    page.get_by_role("button", name="Record and end the contact").click()
    page.wait_for_url("**/done/")
    contact_request = ContactRequest.objects.get()
    service_request = contact_request.service_request
    number = service_request.number
    assert (service_request.status, service_request.assignee, contact_request.assignee) == (
        Status.FORWARDED, expert, expert)
    assert number in page.locator("main").inner_text()
    assert_accessible(page, "the confirmation of a forwarded contact")
    sign_out(page)

    # The expert (building control, where it was forwarded) resolves it from the inbox.
    sign_in(page, live_server.url, "asiantuntija", PASSWORD)
    page.goto(f"{live_server.url}/desk/inbox/")
    assert_accessible(page, "the expert's inbox")
    page.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/desk/requests/{number}/")
    assert_accessible(page, "the forwarded request, as the expert sees it")
    page.locator("#action-resolve summary").click()
    page.locator("#id_resolve_resolution").fill("Alle 20 m² autotalli ei tarvitse lupaa.")
    page.locator("#action-resolve button[type=submit]").click()
    wait_done(page)
    assert_accessible(page, "the request after it was resolved")
    sign_out(page)

    # The advisor follows it from the customer view: resolved, and the customer was told.
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/customers/{customer.pk}/")
    page.get_by_role("link", name=number).first.click()
    page.wait_for_url(f"**/desk/requests/{number}/")
    assert "Resolved" in page.locator(".aspa-summary").inner_text()
    history = page.locator(".aspa-history").inner_text()
    assert "Forwarded" in history and "Resolved" in history
    assert page.get_by_role("link", name=customer.display_name).get_attribute("href") == f"/desk/customers/{customer.pk}/"
    assert_accessible(page, "the resolved request, as the advisor sees it")
    told = [email for email in mailoutbox if email.to == [CUSTOMER_EMAIL]]
    assert told and all(email.subject == f"Din serviceförfrågan {number}" for email in told)
    # The resolution waits in the e-service behind strong identification; the email only points there.
    assert any(f"/portal/requests/{number}/" in email.body for email in told)
    assert not any("Alle 20 m² autotalli ei tarvitse lupaa." in email.body for email in told)
    assert page.problems == []
