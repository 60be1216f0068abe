"""The processes' timers run in the background worker: a task that runs the due timers and then
puts its own next round into the queue. `aspa worker` starts the chain (schedule_timer_checks);
`aspa processes timers` does one round by hand or from cron."""

import datetime

from django.conf import settings
from django.tasks import TaskResultStatus, default_task_backend, task
from django.utils import timezone

from aspa.processes import operations


@task
def run_process_timers() -> int:
    try:
        return operations.run_due_timers()
    finally:
        schedule_timer_checks()


def schedule_timer_checks(*, now: bool = False) -> bool:
    """Queue the next round unless one already waits. Only a queue that can hold a task until a
    given time (the database backend) runs rounds; with inline tasks there is nothing to repeat."""
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult  # the only backend that defers

    waiting = DBTaskResult.objects.filter(task_path=run_process_timers.module_path,
                                          status=TaskResultStatus.READY).exists()
    if waiting:
        return False
    delay = datetime.timedelta(seconds=0 if now else settings.PROCESS_TIMER_SECONDS)
    run_process_timers.using(run_after=timezone.now() + delay).enqueue()
    return True
