"""The real Chromium: the service finder without signing in, and the satisfaction survey on a
closed errand with the supervisors' averages, pass axe-core in fi, sv and en and fit 320 px."""

import pytest

from aspa.catalogue.operations import load_catalogue
from aspa.identity.models import Role
from aspa.reports.models import SurveyResponse
from tests.browser.axe import assert_accessible
from tests.browser.test_portal_in_the_browser import (
    LANGUAGES,
    fits_the_width,
    sign_in_as_resident,
    switch_language,
)
from tests.factories.identity import UserFactory
from tests.portal.factories import make_portal_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BERTH = {"fi": "Venepaikan haku ja vuokraus", "sv": "Ansökan om och hyra av båtplats",
         "en": "Applying for and renting a boat berth"}
SEARCH = {"fi": "venepaikan", "sv": "båtplatsen", "en": "boat berths"}


def check(page, what: str, width: int) -> None:
    assert_accessible(page, f"{what} ({width} px)")
    assert fits_the_width(page), f"{what} scrolls sideways at {width} px"


def test_a_visitor_finds_a_service_by_topic_life_situation_and_search(live_server, page):
    load_catalogue()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            page.goto(f"{live_server.url}/portal/services/")
            switch_language(page, code)
            check(page, f"the finder's home ({code})", width)

            page.locator("a[href='/portal/services/topics/liikunta-ja-vapaa-aika/']").click()
            page.wait_for_load_state()
            assert page.locator("a[href='/portal/services/venepaikka/']").inner_text() == BERTH[code]
            check(page, f"a topic ({code})", width)

            page.goto(f"{live_server.url}/portal/services/life-situations/veneily/")
            check(page, f"a life situation ({code})", width)

            page.goto(f"{live_server.url}/portal/services/")
            page.get_by_role("searchbox").fill(SEARCH[code])
            page.get_by_role("searchbox").press("Enter")
            page.wait_for_load_state()
            first = page.locator(".aspa-finder-services a").first
            assert first.inner_text() == BERTH[code]
            check(page, f"search results ({code})", width)

            first.click()
            page.wait_for_load_state()
            assert page.get_by_role("heading", level=1).inner_text() == BERTH[code]
            check(page, f"a service's page ({code})", width)
    assert page.problems == []


def test_the_resident_answers_the_survey_and_the_supervisor_sees_the_average(live_server, page, catalogue):
    world = make_portal_world(catalogue)
    sign_in_as_resident(page, live_server.url)
    errand_url = f"{live_server.url}/portal/requests/{world.closed.number}/"
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            page.goto(errand_url)
            switch_language(page, code)
            assert page.locator("fieldset").count() == 14
            check(page, f"a closed errand with the survey ({code})", width)

    # Nothing chosen: refused by the server with the reason on the page, and nothing stored.
    page.goto(errand_url)
    page.locator(f"form[action='/portal/requests/{world.closed.number}/survey/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".aspa-field__error").count() >= 1
    check(page, "the survey with an error", 320)
    assert not SurveyResponse.objects.exists()

    page.get_by_role("group", name="Did the service meet your need?").get_by_label("9", exact=True).check()
    page.get_by_role("group", name="I was treated properly.").get_by_label("10", exact=True).check()
    page.locator(f"form[action='/portal/requests/{world.closed.number}/survey/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Thank you for answering" in page.locator("main").inner_text()
    assert page.locator("fieldset").count() == 0
    check(page, "the errand after the survey", 320)
    answer = SurveyResponse.objects.get()
    assert (answer.met_need, answer.treated_properly) == (9, 10)

    page.context.clear_cookies()
    UserFactory(username="esimies", role=Role.SUPERVISOR)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "esimies")
    page.fill("#id_password", "correct horse battery")
    with page.expect_navigation():
        page.locator("form.aspa-form button[type=submit]").click()
    page.wait_for_load_state()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for code in LANGUAGES:
            page.goto(f"{live_server.url}/desk/satisfaction/")
            switch_language(page, code)
            assert page.locator("tbody tr").count() == 1
            check(page, f"the satisfaction averages ({code})", width)
    assert [problem for problem in page.problems if "status of 422" not in problem] == []
