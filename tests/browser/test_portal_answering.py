"""The real Chromium: the centre asks the resident a question, the resident answers it in the
portal (first sending an empty answer by mistake) and sees the request being handled again.
The page with its forms, and with the error next to the field, pass axe-core in fi and sv."""

import pytest
from django.utils import translation

from aspa.requests import operations
from aspa.requests.models import ServiceRequest, Status
from aspa.requests.status_words import plain_status
from tests.browser.axe import assert_accessible
from tests.browser.test_portal_in_the_browser import sign_in_as_resident, switch_language
from tests.factories.requests import in_status
from tests.portal.factories import make_portal_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = {"fi": "Missä kohdassa katua lamppu on?", "sv": "Var på gatan finns lampan?"}
ANSWERS = {"fi": "Pylväs 12, Kotikadun päässä.", "sv": "Stolpe 12, i slutet av Hemgatan."}


def test_resident_answers_the_centres_question_in_the_portal(live_server, page, catalogue):
    world = make_portal_world(catalogue)
    sign_in_as_resident(page, live_server.url)
    for code in ("fi", "sv"):
        errand = in_status(Status.RECEIVED, world.advisor, party=world.party.pk, description=f"Lamppu ({code})")
        operations.request_information(world.advisor, errand, version=errand.version, question=QUESTIONS[code])

        page.goto(f"{live_server.url}/portal/requests/{errand.number}/")
        switch_language(page, code)
        main = page.locator("main")
        assert QUESTIONS[code] in main.inner_text()
        assert_accessible(page, f"an errand's page with its forms ({code})")

        # An empty answer is refused by the server, next to the field, and nothing is sent.
        page.locator(f"form[action='/portal/requests/{errand.number}/answer/'] button[type=submit]").click()
        page.wait_for_load_state()
        error = page.locator("#id_answer-error")
        assert error.is_visible()
        assert page.locator("#id_answer").get_attribute("aria-describedby") == "id_answer-error"
        assert_accessible(page, f"an errand's page with a validation error ({code})")
        assert ServiceRequest.objects.get(pk=errand.pk).status == Status.WAITING

        page.locator("#id_answer").fill(ANSWERS[code])
        page.locator(f"form[action='/portal/requests/{errand.number}/answer/'] button[type=submit]").click()
        page.wait_for_load_state()
        with translation.override(code):
            headline = str(plain_status(Status.IN_PROGRESS).headline)
        assert page.locator("#status-headline").inner_text() == headline
        assert ANSWERS[code] in main.inner_text()
        assert page.locator("#id_answer").count() == 0
        assert ServiceRequest.objects.get(pk=errand.pk).status == Status.IN_PROGRESS
    # Only the refused empty answers' 422 answers may show in the console.
    assert [problem for problem in page.problems if "status of 422" not in problem] == []
