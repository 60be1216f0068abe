"""Housekeeping that runs once a day in `aspa worker`, so that a city needs no cron.

A daily task ends by queueing its own next run for the next morning, like the process timers
(processes/tasks.py). The worker queues each at start, unless a run already waits in the queue,
so restarts do not pile up runs; and if one already finished today, the run it queues waits for
tomorrow. A run that waited while the worker was down is not lost: it runs as soon as the worker
is back, then queues the next morning's. A top-level module, like env.py, because apps of their
own (eforms, knowledge) each keep their daily task in their own tasks.py."""

import datetime

from django.tasks import Task, TaskResultStatus, default_task_backend
from django.utils import timezone

# Early in the morning, local time: reminders wait in the inbox when the day starts, and the
# hour is clear of the daylight saving switch (03:00–04:00 in Finland).
RUN_AT = datetime.time(5, 0)


def _next_morning() -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, RUN_AT))


def schedule_daily(task: Task, *, ran_today: bool = False) -> bool:
    """Queue the task's next run unless one already waits: tomorrow morning when it ran today
    (`ran_today`, or a successful run in the queue's history), at once otherwise. Only a queue that
    can hold a task until a given time (the database backend) runs daily tasks; with inline tasks
    there is nothing to repeat, and cron can run the commands as before."""
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult  # the only backend that defers

    runs = DBTaskResult.objects.filter(task_path=task.module_path)
    if runs.filter(status=TaskResultStatus.READY).exists():
        return False
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    if not ran_today:
        ran_today = runs.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__gte=start_of_today).exists()
    task.using(run_after=_next_morning() if ran_today else timezone.now()).enqueue()
    return True
