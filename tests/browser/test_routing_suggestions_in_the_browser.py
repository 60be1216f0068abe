"""The real Chromium: an advisor sees the ranked suggestions on the request page, applies one with
one click (htmx swaps the page in place) and sees the rule that routed it; the page with the
routing panel passes axe in fi, sv and en, and the panel fits a 320 px screen."""

import pytest

from aspa.requests.models import ServiceRequest
from aspa.routing import operations
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import LANGUAGES, sign_in, switch_language
from tests.desk.factories import PASSWORD, make_desk_world
from tests.factories.identity import UserFactory
from tests.factories.requests import file
from tests.routing.conftest import RULES, dmn, synthetic_examples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _routing_world(catalogue, settings):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01  # nothing applied by itself: the advisor decides
    world = make_desk_world(catalogue)
    administrator = UserFactory(role="admin", is_staff=True, is_superuser=True)
    rule_set = operations.upload_rule_set(administrator, content=dmn(RULES), file_name="rules.dmn")
    operations.publish_rule_set(administrator, rule_set)
    operations.train_classifier(synthetic_examples(), source="tests", trained_by="tests")
    request = file(world.advisor, service=None, type="question", channel="email",
                   description="Tarvitseeko uusi autotalli rakennusluvan?")
    return world, request


def test_the_advisor_applies_a_suggestion_with_one_click(live_server, page, catalogue, settings):
    _world, request = _routing_world(catalogue, settings)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{request.number}/")
    panel = page.locator(".aspa-routing")
    assert "Suggested services" in panel.inner_text()
    panel.get_by_role("button", name="Apply – Rakennuslupa (en)").click()
    page.wait_for_function("() => document.getElementById('action-status').textContent.trim() !== ''")
    page.wait_for_load_state("networkidle")
    assert "Routed by rule 2 of the routing rules (version 1)" in page.locator(".aspa-routing").inner_text()
    stored = ServiceRequest.objects.get(pk=request.pk)
    assert (stored.service.code, stored.team.code) == ("rakennuslupa", "luvat")
    assert not page.problems, page.problems


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_routing_panel_is_accessible(live_server, page, catalogue, settings, language):
    _world, request = _routing_world(catalogue, settings)
    sign_in(page, live_server.url, "neuvoja", PASSWORD)
    page.goto(f"{live_server.url}/desk/requests/{request.number}/")
    if language != "en":
        switch_language(page, language)
    assert page.locator(".aspa-routing li").count() == 2
    assert_accessible(page, f"the request page with routing suggestions ({language})")
    page.set_viewport_size({"width": 320, "height": 800})
    # The panel and everything in it fit the narrow screen (the desk's header is not this test's).
    wide = page.evaluate("""() => [...document.querySelectorAll('.aspa-routing, .aspa-routing *')]
        .filter(element => element.getBoundingClientRect().right > 320).map(element => element.outerHTML.slice(0, 80))""")
    assert not wide, wide
    assert_accessible(page, f"the request page with routing suggestions at 320 px ({language})")
    assert not page.problems, page.problems
