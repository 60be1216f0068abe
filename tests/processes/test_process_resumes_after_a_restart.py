"""Process state lives in the database, not in the worker: a fresh engine (and on PostgreSQL a
fresh operating-system process) picks a half-done process up where it stood."""

import importlib
import os
import subprocess
import sys

import pytest
from django.db import connection

from aspa.processes import engine, operations
from aspa.processes.models import ProcessInstance, ProcessTask
from aspa.requests.models import Status
from tests.processes.conftest import complete_on_desk, file_for, task_for


def _half_done(city):
    service_request = file_for(city.resident(), "venepaikka", "application")
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    return service_request, task_for(city.marina, "decide")


def test_a_fresh_engine_resumes_from_the_stored_state(city):
    service_request, decide = _half_done(city)
    instance = ProcessInstance.objects.get(request=service_request)
    assert instance.steps == 2  # saved after filing and after the check
    # Forget everything the engine kept in memory, as a restarted worker would have.
    operations.forget_parsed()
    importlib.reload(engine)

    complete_on_desk(city.marina, decide, "waiting_list")

    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert service_request.resolution.startswith("Hakemuksesi on lisätty venepaikkajonoon.")
    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.COMPLETED and instance.steps == 3


WORKER = """
import django
django.setup()
from aspa.identity.models import User
from aspa.processes.models import ProcessTask
from aspa.processes.operations import complete_task
task = ProcessTask.objects.get(pk={task})
complete_task(User.objects.get(pk={user}), task, choice="offer", note="Laituri C")
"""


def _database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the SQLite test database lives in this process's memory only")
@pytest.mark.django_db(transaction=True)
def test_another_worker_process_continues_the_process(city):
    service_request, decide = _half_done(city)

    environment = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "aspa.settings"}
    result = subprocess.run([sys.executable, "-c", WORKER.format(task=decide.pk, user=city.marina.pk)],  # noqa: S603
                            env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr

    service_request.refresh_from_db()
    # The offer went on to the invoicing step (not connected) and now waits for it to be done by hand.
    assert service_request.events.filter(kind="process_step_not_connected").exists()
    assert not ProcessTask.objects.get(pk=decide.pk).is_open
    assert ProcessTask.objects.get(request=service_request, bpmn_id="invoice_by_hand").is_open
    assert ProcessInstance.objects.get(request=service_request).status == ProcessInstance.Status.RUNNING
