"""The real Chromium: the marina team finds a process task on the desk, is refused without a
choice, decides, and the resident is told; the administrator sees the running process on its
diagram with the current task marked. Every page passes axe in fi, sv and en, and nothing is
blocked by the Content-Security-Policy."""

import pytest

from aspa.identity.models import Role
from aspa.processes.models import ProcessInstance
from aspa.processes.operations import complete_task
from aspa.processes.queries import work_list
from aspa.requests.models import Status
from tests.browser.axe import assert_accessible
from tests.browser.test_desk_in_the_browser import LANGUAGES, sign_in, switch_language
from tests.factories.identity import UserFactory
from tests.processes.conftest import City, file_for, make_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


@pytest.fixture
def city(transactional_db) -> City:
    return make_city()


def _at_the_decision(city):
    service_request = file_for(city.resident(email="seglare@example.fi"), "venepaikka", "application",
                               "Haen laituripaikkaa.")
    complete_task(city.advisor, work_list(city.advisor).get(bpmn_id="check"), choice="complete")
    return service_request


def test_marina_team_decides_a_berth_on_the_desk(live_server, page, city, mailoutbox):
    service_request = _at_the_decision(city)
    number = service_request.number

    sign_in(page, live_server.url, city.marina.username, PASSWORD)
    page.goto(f"{live_server.url}/desk/")
    for code in LANGUAGES:
        switch_language(page, code)
        assert number in page.locator(".aspa-process-work").inner_text()
        assert_accessible(page, f"the desk with a process task ({code})")
    switch_language(page, "en")

    page.locator(".aspa-process-work").get_by_role("link", name=number).click()
    page.wait_for_load_state()
    task = page.locator(".aspa-process-task")
    assert "Decide on the berth" in task.inner_text()
    for code in LANGUAGES:
        switch_language(page, code)
        assert_accessible(page, f"the request page with a process task ({code})")
    switch_language(page, "en")

    # Without a choice nothing happens, and the error is next to the choices.
    task.get_by_role("button", name="Done").click()
    page.wait_for_load_state()
    assert "Choose one of the options." in page.locator(".aspa-field__error").inner_text()
    assert_accessible(page, "the refused task form (en)")

    page.get_by_label("Offer a berth").check()
    page.get_by_label("Reasons and information for the applicant").fill("Laituri B, paikka 12.")
    page.get_by_role("button", name="Done").click()
    page.wait_for_load_state()
    assert "The task is done and the process moved on." in page.locator(".aspa-process").inner_text()
    # Invoicing is not connected to Aspa: the team invoices the rent by hand before the resident is told.
    invoicing = page.locator(".aspa-process-task")
    assert "Invoice the berth rent in the finance system" in invoicing.inner_text()
    assert_accessible(page, "the request page with the invoicing task (en)")
    page.get_by_label("The rent has been invoiced").check()
    page.get_by_label("Invoice number").fill("Lasku 2025-0042")
    page.get_by_role("button", name="Done").click()
    page.wait_for_load_state()
    assert "The process has ended." in page.locator(".aspa-process").inner_text()
    assert_accessible(page, "the request page after the process ended (en)")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    # First the receipt of the filing (after-filing pipeline), then that the marina handles it
    # (the forward), then the decision.
    assert [mail.to for mail in mailoutbox] == [["seglare@example.fi"]] * 3
    assert "We aim to handle it by" in mailoutbox[0].body or "Pyrimme käsittelemään" in mailoutbox[0].body
    # The refused form came back with its honest 422, which Chromium logs; nothing else may appear.
    assert [problem for problem in page.problems if "status of 422" not in problem] == []


def test_administrator_sees_where_the_process_stands(live_server, page, city):
    service_request = _at_the_decision(city)
    instance = ProcessInstance.objects.get(request=service_request)
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)

    sign_in(page, live_server.url, admin.username, PASSWORD)
    for code in LANGUAGES:
        page.goto(f"{live_server.url}/admin/")
        page.select_option("#aspa-language-select", code)
        page.locator("form.aspa-language button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/admin/processes/processinstance/{instance.pk}/diagram/")
        page.locator("#process-diagram[data-ready=true]").wait_for()
        # The decision is marked; the done check is not.
        assert page.locator('.aspa-diagram__active[data-element-id="decide"]').count() == 1
        assert page.locator('.aspa-diagram__active[data-element-id="check"]').count() == 0
        assert_accessible(page, f"the process diagram in the admin ({code})")
    assert page.problems == []
