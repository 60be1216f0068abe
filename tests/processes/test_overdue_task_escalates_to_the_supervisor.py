"""A user task left open past its boundary timer goes to the supervisor: flagged on the desk,
written in the request's history, and the department's supervisors are emailed. The task stays
open and can still be done."""

import datetime

import time_machine
from django.test import Client
from django.utils import timezone

from aspa.processes.models import ProcessInstance, ProcessTask
from aspa.processes.operations import run_due_timers
from aspa.requests.models import Status
from tests.processes.conftest import complete_on_desk, file_for, task_for


def _at_the_decision(city):
    service_request = file_for(city.resident(), "venepaikka", "application")
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    return service_request, task_for(city.marina, "decide")


def test_nothing_escalates_before_the_due_time(city):
    _service_request, decide = _at_the_decision(city)
    with time_machine.travel(decide.due_at - datetime.timedelta(hours=1), tick=False):
        assert run_due_timers() == 0
    decide.refresh_from_db()
    assert decide.escalated_at is None


def test_overdue_decision_is_escalated_once(city, mailoutbox, django_capture_on_commit_callbacks):
    service_request, decide = _at_the_decision(city)
    # The berth decision has ten days.
    assert abs(decide.due_at - (timezone.now() + datetime.timedelta(days=10))) < datetime.timedelta(minutes=1)
    instance = ProcessInstance.objects.get(request=service_request)
    assert instance.next_timer_at == decide.due_at

    with time_machine.travel(decide.due_at + datetime.timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # noqa: SIM117 (the second round runs outside it)
            assert run_due_timers() == 1
        # A second round finds nothing more to do.
        assert run_due_timers() == 0

    decide.refresh_from_db()
    assert decide.escalated_at is not None and decide.is_open
    event = service_request.events.get(kind="process_task_escalated")
    assert event.data["task"] == "decide" and event.data["team"] == "satama-venepaikat"
    # The marina department's supervisor, not the centre's.
    assert [mail.to for mail in mailoutbox] == [["satamaesimies@esimerkkila.fi"]]
    assert service_request.number in mailoutbox[0].subject
    # The supervisor sees it on the desk too, first in their list.
    client = _desk(city.marina_supervisor)
    page = client.get(f"/desk/requests/{service_request.number}/").content.decode()
    assert "Escalated to the supervisor" in page

    # The team still decides, and the process ends as usual.
    complete_on_desk(city.marina, ProcessTask.objects.get(pk=decide.pk), "reject")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert ProcessInstance.objects.get(request=service_request).status == ProcessInstance.Status.COMPLETED


def test_department_without_a_supervisor_escalates_to_the_centres(city, mailoutbox, django_capture_on_commit_callbacks):
    file_for(city.resident(), "pysakointivirhemaksu", "appeal")
    complete_on_desk(city.advisor, task_for(city.advisor, "register"), "in_time")
    decide = task_for(city.parking, "decide")
    with (time_machine.travel(decide.due_at + datetime.timedelta(minutes=1), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        run_due_timers()
    assert [mail.to for mail in mailoutbox] == [["esimies@esimerkkila.fi"]]


def _desk(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
