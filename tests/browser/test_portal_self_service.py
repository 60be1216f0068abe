"""The real Chromium: a business representative signs in through the test identity provider, acts for
the company she holds a mandate for, downloads its decision, reads the document bank and the contact
history, and corrects her own details (first with a mistake). Every page added or changed for this
passes axe-core in fi, sv and en and is usable at 320 px without sideways scrolling."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aspa.contacts.models import Outcome
from aspa.customers.models import ContactPoint
from aspa.requests import operations
from aspa.requests.models import Status
from tests.browser.axe import assert_accessible
from tests.browser.test_portal_in_the_browser import LANGUAGES, fits_the_width, switch_language
from tests.factories.contacts import ContactFactory
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, in_status, with_email
from tests.portal.self_service_world import mandate, organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATTI = "150385-9013"  # a test person of the built-in test identity provider
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF_NOTE = "Sisäinen: soitti vihaisena."


@pytest.fixture
def representative(catalogue, settings):
    settings.SAML_TEST_IDP = True
    settings.SAML_IDP_METADATA = ""
    advisor = UserFactory(username="neuvoja", role="advisor", department=catalogue.centre)
    matti = with_email(PersonFactory(first_name="Matti Tapani", last_name="Virtanen", national_id=MATTI),
                       "matti.virtanen@example.fi")
    ContactPoint.objects.create(party=matti, kind=ContactPoint.Kind.PHONE, value="+358401234567")
    company = organisation()
    mandate(matti, company, granted_by=advisor)
    errand = in_status(Status.IN_PROGRESS, advisor, party=company.pk, description="Terassilupa kesäksi")
    decision = operations.add_attachment(advisor, errand, SimpleUploadedFile("päätös.pdf", PDF, "application/pdf"),
                                         visible_to_customer=True, is_decision=True)
    own = in_status(Status.IN_PROGRESS, advisor, party=matti.pk, description="Katulamppu ei pala")
    operations.resolve(advisor, own, version=own.version, resolution="Lamppu vaihdettu 3.11.")
    contact = ContactFactory(party=matti, staff=advisor, outcome=Outcome.REQUEST_FILED, notes=STAFF_NOTE)
    contact.requests.set([own])
    return {"company": company, "errand": errand, "decision": decision, "own": own}


def sign_in_with_the_test_idp(page, base_url: str) -> None:
    page.goto(f"{base_url}/portal/")
    page.locator("a[href^='/saml/login/']").click()
    page.wait_for_url("**/saml/test-idp/**")
    page.locator(f"form:has(input[value='{MATTI}']) button[type=submit]").click()
    page.wait_for_url(f"{base_url}/portal/")


def check(page, what: str, width: int, code: str) -> None:
    assert_accessible(page, f"{what} ({code}, {width} px)")
    assert fits_the_width(page), f"{what} scrolls sideways at {width} px ({code})"


def test_a_representative_handles_the_companys_errands_and_her_own_details(live_server, page, representative):
    base = live_server.url
    errand, own = representative["errand"], representative["own"]
    sign_in_with_the_test_idp(page, base)
    assert own.number in page.content() and errand.number not in page.content()

    # Act for the company: its errands, its decision, then back to herself.
    page.locator("label", has_text="Kahvila Kulma Oy (1572860-0)").click()  # HDS draws the label over the radio
    page.locator("#act-for button[type=submit]").click()
    page.wait_for_load_state()
    assert "Kahvila Kulma Oy (1572860-0)" in page.locator(".aspa-portal-acting").inner_text()
    page.locator(f"a[href='/portal/requests/{errand.number}/']").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="päätös.pdf").click()
    assert download.value.suggested_filename == "päätös.pdf"

    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            page.goto(f"{base}/portal/")
            switch_language(page, code)
            check(page, "the company's errands with the choice whom to act for", width, code)
            page.goto(f"{base}/portal/requests/{errand.number}/")
            check(page, "the company's errand with its decision", width, code)
            page.goto(f"{base}/portal/documents/")
            assert "päätös.pdf" in page.locator("main").inner_text()
            check(page, "the company's document bank", width, code)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/portal/")
    switch_language(page, "en")
    page.locator("label", has_text="Myself (Matti Tapani Virtanen)").click()
    page.locator("#act-for button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".aspa-portal-acting").count() == 0

    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            page.goto(f"{base}/portal/documents/")
            switch_language(page, code)
            assert "Lamppu vaihdettu 3.11." in page.locator("main").inner_text()
            check(page, "her own document bank", width, code)
            page.goto(f"{base}/portal/requests/{own.number}/")
            assert "Lamppu vaihdettu 3.11." in page.locator("main").inner_text()
            check(page, "her resolved errand", width, code)
            page.goto(f"{base}/portal/contacts/")
            assert own.number in page.locator("main").inner_text()
            assert STAFF_NOTE not in page.content()
            check(page, "her contact history", width, code)
            page.goto(f"{base}/portal/me/")
            check(page, "her details", width, code)

    # A mistake first: refused next to the field, then saved; Swedish becomes the page language.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{base}/portal/me/")
    switch_language(page, "en")
    page.get_by_label("Phone", exact=True).fill("12")
    page.locator("form.aspa-portal-details button[type=submit]").click()
    page.wait_for_load_state()
    assert "This is not a valid phone number." in page.locator("#id_phone-error").inner_text()
    assert "id_phone-error" in page.locator("#id_phone").get_attribute("aria-describedby")
    check(page, "her details with a refused phone number", 320, "en")
    page.locator("#id_phone").fill("040 765 4321")
    page.locator("label[for=id_language_1]").click()
    page.locator("form.aspa-portal-details button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("#id_phone").input_value() == "+358407654321"
    check(page, "her saved details", 320, "sv")
    # Only the refused form's 422 answer may show in the console.
    assert [problem for problem in page.problems if "status of 422" not in problem] == []
