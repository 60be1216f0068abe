"""`aspa worker` runs the process timers: a queued task that runs the due timers and queues its
next round, so an overdue task is escalated without anybody running a command."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from aspa.outbox.relay import drain
from aspa.processes.tasks import run_process_timers, schedule_timer_checks
from tests.processes.conftest import complete_on_desk, file_for, task_for

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _rounds():
    return DBTaskResult.objects.filter(task_path=run_process_timers.module_path)


# The worker closes its database connections between tasks, as a long-running process should;
# so the test commits for real instead of running inside one rolled-back transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_escalates_an_overdue_task_and_queues_the_next_round(city, settings):
    settings.TASKS = DATABASE_QUEUE
    service_request = file_for(city.resident(), "venepaikka", "application")
    drain()  # the worker's relay runs the filing's pipeline: the process starts
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    decide = task_for(city.marina, "decide")

    with time_machine.travel(decide.due_at + datetime.timedelta(minutes=1), tick=False):
        assert schedule_timer_checks(now=True)
        assert not schedule_timer_checks(now=True)  # one round waits already
        call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)

    decide.refresh_from_db()
    assert decide.escalated_at is not None
    assert service_request.events.filter(kind="process_task_escalated").count() == 1
    # The round that ran queued the next one, a minute later.
    assert _rounds().filter(status="SUCCESSFUL").count() == 1
    assert _rounds().filter(status="READY").count() == 1


def test_inline_tasks_queue_no_rounds(city):
    # Tests and ASPA_TASKS_IMMEDIATE run tasks inline; a self-requeuing task would never end there.
    assert not schedule_timer_checks(now=True)


def test_the_timers_command_runs_one_round(city, capsys):
    call_command("processes", "timers")
    assert "0 instance(s) moved on" in capsys.readouterr().out
