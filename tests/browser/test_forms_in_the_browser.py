"""The real Chromium: a resident signs in through the test identity provider, files a boat berth
application with the insurance certificate, gets the receipt on screen and by email; the centre
asks for more information through the API, the resident answers in the portal and sees the
errand handled again. Anonymous feedback without signing in. Every forms page passes axe-core
in fi, sv and en, and fits a 320 px screen."""

import json
import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from aspa.identity.models import Role
from aspa.identity.operations import create_token
from aspa.requests.models import ServiceRequest, Status
from aspa.requests.status_words import plain_status
from tests.browser.axe import assert_accessible
from tests.browser.test_portal_in_the_browser import LANGUAGES, fits_the_width, switch_language
from tests.factories.eforms import PDF_BYTES, load_city
from tests.factories.identity import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATTI = "150385-9013"
QUESTION = "Onko veneessä perämoottori vai sisämoottori?"
ANSWER = "Perämoottori, 60 hv."


@pytest.fixture
def city(db):
    return load_city()


@pytest.fixture
def test_idp(settings):
    settings.SAML_TEST_IDP = True
    settings.SAML_IDP_METADATA = ""
    settings.DEMO_MODE = False
    settings.ALLOW_TEST_IDENTITY_CODES = True


def sign_in_at_the_test_idp(page, national_id: str) -> None:
    """On the test identity provider's list: choose the person; the SAML answer carries on by itself."""
    page.locator(f"form:has(input[name='national_id'][value='{national_id}']) button").click()
    page.wait_for_url(re.compile(r".*/forms/.*"))
    page.wait_for_load_state()


def expected_problems(page) -> list[str]:
    # The forms answer a refused post with 422, which Chromium logs; nothing else may show.
    return [problem for problem in page.problems if "status of 422" not in problem]


def centre_asks(number: str, question: str) -> None:
    advisor = UserFactory(role=Role.ADVISOR, username=f"neuvoja-{uuid.uuid4().hex[:6]}")
    _token, key = create_token(role=Role.ADVISOR, name="browser-test", user=advisor)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    version = ServiceRequest.objects.get(number=number).version
    response = client.post(f"/api/v1/requests/{number}/actions", json.dumps({
        "action": "request_information", "version": version, "question": question}),
        content_type="application/json", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 200, response.content


def fill_boat_application(page, tmp_path) -> None:
    """On the boat berth form, signed in as Matti: fill in what the identification did not, and preview."""
    assert page.locator("#f-name").input_value() == "Matti Tapani Virtanen"
    assert page.locator("#f-email").input_value() == "matti.virtanen@example.fi"
    page.fill("#f-address", "Rantakatu 5, 90100 Esimerkkilä")
    page.fill("#f-phone", "040 123 4567")
    page.locator("label[for='f-berth_type-pier']").click()
    page.locator("label[for='f-marina-keskusta']").click()
    page.fill("#f-season_start", "2027-05-01")
    # The registration question appears only for a motor or sailing boat.
    assert page.locator("#f-registration-container").is_hidden()
    page.locator("label[for='f-boat_type-motorboat']").click()
    assert page.locator("#f-registration-container").is_visible()
    page.fill("#f-length_m", "6,2")
    page.fill("#f-width_m", "2,3")
    page.fill("#f-registration", "A12345")
    certificate = tmp_path / "vakuutustodistus.pdf"
    certificate.write_bytes(PDF_BYTES)
    page.set_input_files("#f-insurance", str(certificate))
    page.locator("label[for='f-rules_accepted']").click()
    page.locator("button[name=action][value=preview]").click()
    page.wait_for_url(re.compile(r".*/preview/"))


def test_a_resident_files_a_boat_berth_application_and_answers_the_centre(live_server, page, city, test_idp,
                                                                          tmp_path):
    page.goto(f"{live_server.url}/forms/")
    page.locator("a[href='/forms/venepaikkahakemus/']").click()
    sign_in_at_the_test_idp(page, MATTI)
    assert page.url == f"{live_server.url}/forms/venepaikkahakemus/"
    switch_language(page, "fi")

    # Prefilled from the identification; the rest is filled in.
    fill_boat_application(page, tmp_path)

    assert "/preview/" in page.url, page.locator("main").inner_text()
    assert "vakuutustodistus.pdf" in page.locator("main").inner_text()
    assert_accessible(page, "the preview of a boat berth application")
    page.locator("form[data-submit-once] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/forms/receipts/.*"))

    item = ServiceRequest.objects.get()
    assert item.number in page.locator("h2#receipt-heading").inner_text()
    assert item.attachments.get().original_name == "vakuutustodistus.pdf"
    assert_accessible(page, "the receipt")
    (email,) = mail.outbox
    assert email.to == ["matti.virtanen@example.fi"] and item.number in email.subject

    centre_asks(item.number, QUESTION)
    page.goto(f"{live_server.url}/portal/requests/{item.number}/")
    assert QUESTION in page.locator("main").inner_text()
    assert page.locator(f"a[href='/forms/copies/{item.number}/']").count() == 1
    page.fill("#id_answer", ANSWER)
    page.locator(f"form[action='/portal/requests/{item.number}/answer/'] button[type=submit]").click()
    page.wait_for_load_state()
    with translation.override("fi"):
        headline = str(plain_status(Status.IN_PROGRESS).headline)
    assert page.locator("#status-headline").inner_text() == headline
    assert ServiceRequest.objects.get().status == Status.IN_PROGRESS

    page.goto(f"{live_server.url}/forms/copies/{item.number}/")
    assert "A12345" in page.locator("main").inner_text()
    assert_accessible(page, "the printable copy")
    assert expected_problems(page) == []


def test_anonymous_feedback_without_signing_in(live_server, page, city):
    page.goto(f"{live_server.url}/forms/kuntalaispalaute/")
    switch_language(page, "en")
    # Sending without the required answers: the errors are next to the fields and summarised on top.
    page.get_by_role("button", name="Preview and send").click()
    page.wait_for_load_state()
    assert page.locator("#f-message-error").is_visible()
    assert "f-message-error" in page.locator("#f-message").get_attribute("aria-describedby")
    assert_accessible(page, "the feedback form with errors")

    page.locator("label[for='f-kind-praise']").click()
    page.locator("label[for='f-topic-service']").click()
    assert page.locator("#f-location-container").is_hidden()
    page.fill("#f-message", "Kiitos ystävällisestä palvelusta palvelupisteessä!")
    page.fill("#f-email", "palautteen.antaja@example.fi")
    page.get_by_role("button", name="Preview and send").click()
    page.wait_for_url(re.compile(r".*/preview/"))
    page.locator("form[data-submit-once] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/forms/receipts/.*"))

    item = ServiceRequest.objects.get()
    assert item.party is None and item.contact_email == "palautteen.antaja@example.fi"
    assert item.number in page.locator("main").inner_text()
    assert [message.to for message in mail.outbox] == [["palautteen.antaja@example.fi"]]
    assert expected_problems(page) == []


def test_every_forms_page_is_accessible_in_every_language_and_at_320_px(live_server, page, city, test_idp,
                                                                        tmp_path):
    page.goto(f"{live_server.url}/forms/venepaikkahakemus/")
    sign_in_at_the_test_idp(page, MATTI)
    # One application sent (for its receipt and copy), one waiting in its preview, one draft with errors.
    fill_boat_application(page, tmp_path)
    page.locator("form[data-submit-once] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/forms/receipts/.*"))
    receipt_url = page.url
    number = ServiceRequest.objects.get().number
    page.goto(f"{live_server.url}/forms/venepaikkahakemus/")
    fill_boat_application(page, tmp_path)
    preview_url = page.url
    page.goto(f"{live_server.url}/forms/kuntalaisaloite/")
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(re.compile(r".*/forms/drafts/.*"))
    draft_url = page.url
    pages = {
        "the list of forms": f"{live_server.url}/forms/",
        "a form": f"{live_server.url}/forms/venepaikkahakemus/",
        "a saved draft": draft_url,
        "a preview": preview_url,
        "a receipt": receipt_url,
        "a printable copy": f"{live_server.url}/forms/copies/{number}/",
    }
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            for what, url in pages.items():
                page.goto(url)
                switch_language(page, code)
                assert_accessible(page, f"{what} ({code}, {width} px)")
                assert fits_the_width(page), f"{what} scrolls sideways at {width} px ({code})"
            # The form with its errors.
            page.goto(draft_url)
            page.locator("button[name=action][value=preview]").click()
            page.wait_for_load_state()
            assert page.locator(".aspa-eform-errors").is_visible()
            assert page.evaluate("() => document.activeElement.id") == "error-summary"
            assert_accessible(page, f"a form with errors ({code}, {width} px)")
            assert fits_the_width(page), f"a form with errors scrolls sideways at {width} px ({code})"
    assert expected_problems(page) == []


def test_the_anonymous_pages_are_accessible_in_every_language_and_at_320_px(live_server, page, city, settings):
    settings.EFORMS_ANONYMOUS_POSTS_PER_WINDOW = 0  # every post is refused: the 429 page
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            for path in ("/forms/", "/forms/kuntalaispalaute/"):
                page.goto(f"{live_server.url}{path}")
                switch_language(page, code)
                assert_accessible(page, f"{path} without signing in ({code}, {width} px)")
                assert fits_the_width(page), f"{path} scrolls sideways at {width} px ({code})"
            page.locator("button[name=action][value=preview]").click()
            page.wait_for_load_state()
            assert page.locator("h1").count() == 1 and page.locator("#f-message").count() == 0
            assert_accessible(page, f"the page of too many posts ({code}, {width} px)")
            assert fits_the_width(page), f"the page of too many posts scrolls sideways at {width} px ({code})"
    assert ServiceRequest.objects.count() == 0
    assert [problem for problem in page.problems if "status of 429" not in problem] == []
