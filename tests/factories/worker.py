"""The `worker` fixture: `aspa worker` with a real database queue, each start running the
outbox's due events and the queue's due tasks and then stopping, as if the worker were restarted between calls. Use it with
`@pytest.mark.django_db(transaction=True)`: the worker closes its connections between tasks."""

import pytest
from django.core.management import call_command
from django.tasks import Task
from django_tasks_db.models import DBTaskResult

from aspa.outbox.relay import drain


@pytest.fixture(name="worker")
def worker_fixture(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from aspa.management.commands import worker as command

    def run_what_is_due(name, *arguments, **options):
        call_command(name, *arguments, "--batch", verbosity=0)

    class DrainingRelay:
        """The outbox's relay, run once through at the start like the queue."""

        def start(self):
            drain()

        def stop(self):
            pass

    monkeypatch.setattr(command, "call_command", run_what_is_due)
    monkeypatch.setattr(command, "Relay", DrainingRelay)
    return lambda: call_command("worker")


def runs(task: Task, status: str) -> int:
    """The task's runs in the worker's queue with that status (what an administrator sees under Tasks)."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status=status).count()
