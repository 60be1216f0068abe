"""Writing to the outbox and running its events (docs/outbox.md).

`record` is called by an operation inside its transaction. The events are run by the worker's
relay (`aspa.outbox.relay`): `claim_due` takes due events for a while (a lease), and
`run_event` runs each step the event's pipeline names, every step in its own transaction
together with its `OutboxStep` row. What the steps are is not the outbox's business: the
setting `OUTBOX_PIPELINE` names a function `steps_for(event) -> list[Step]` (the after-filing
pipeline, `aspa.after_filing`), looked up by name because it lives in a higher layer.

Where tasks run inline (ASPA_TASKS_IMMEDIATE, the tests) there is no worker: the event is run
right after the change commits, outside its transaction."""

import datetime
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django.utils.module_loading import import_string

from aspa.outbox.models import FeedCounter, OutboxEvent, OutboxStep, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A failed run waits 1, 2, 4 … seconds, at most ten minutes, before the next try.
FIRST_WAIT = datetime.timedelta(seconds=1)
LONGEST_WAIT = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Step:
    """One step of a pipeline: `run(event)` does its work and may return a small result (JSON)
    that is kept with the step's row."""

    name: str
    run: Callable[[OutboxEvent], dict | None]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


# ----------------------------------------------------------------- writing


def record(type: str, *, aggregate_type: str, aggregate_id: int | str, payload: dict,
           first: bool = False) -> OutboxEvent:
    """Write one event in the caller's transaction. The caller holds the aggregate's lock (the
    row it changed), so the next sequence number is its own; `first=True` for a new aggregate
    saves the look-up."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An outbox event is written inside the transaction of its change.")
    aggregate = str(aggregate_id)
    if first:
        sequence = 1
    else:
        last = OutboxEvent.objects.filter(aggregate_type=aggregate_type, aggregate_id=aggregate).aggregate(
            last=Max("sequence"))["last"]
        sequence = (last or 0) + 1
    now = timezone.now()
    event = OutboxEvent.objects.create(type=type, aggregate_type=aggregate_type, aggregate_id=aggregate,
                                       sequence=sequence, payload=payload, created_at=now, next_attempt_at=now)
    if runs_inline():
        transaction.on_commit(InlineRun(event.pk))
    elif workers_behind():
        transaction.on_commit(CallerRun(event.pk))
    return event


def runs_inline() -> bool:
    """True where tasks run inline: no worker polls the outbox, so events run after their commit."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


class InlineRun:
    """The on-commit callback that runs one event at once (tests/conftest.py recognises it)."""

    def __init__(self, event_pk: int):
        self.event_pk = event_pk

    def __call__(self) -> None:
        run_event(self.event_pk, worker="inline")


class CallerRun(InlineRun):
    """The on-commit callback that runs the event in the process that wrote it, because the
    workers are behind: the writer's answer waits for its own pipeline, and the backlog does not
    grow. Taken like a relay takes it, so no worker runs it at the same time."""

    def __call__(self) -> None:
        worker = worker_name()
        try:
            for event in claim_due(worker, only=Q(pk=self.event_pk)):
                run_event(event, worker=worker)
        except DatabaseError:
            # The commit stands; the event waits for a worker as usual.
            logger.exception("Outbox event %s: running it in the writing process failed", self.event_pk)


@dataclass
class _Backlog:
    checked_at: float = -1e9
    behind: bool = False


_backlog = _Backlog()
BACKLOG_CHECK_EVERY = 1.0  # seconds: at most one look at the backlog per process and second


def workers_behind() -> bool:
    """True when the oldest event due for a worker has waited longer than
    OUTBOX_CALLER_RUNS_AFTER_SECONDS (the workers are overloaded or down). One indexed look per
    process and second, remembered in between."""
    threshold = settings.OUTBOX_CALLER_RUNS_AFTER_SECONDS
    if threshold <= 0:
        return False
    if time.monotonic() - _backlog.checked_at >= BACKLOG_CHECK_EVERY:
        now = timezone.now()
        oldest = (pending().filter(next_attempt_at__lte=now).order_by("next_attempt_at")
                  .values_list("next_attempt_at", flat=True).first())
        _backlog.behind = oldest is not None and (now - oldest).total_seconds() > threshold
        _backlog.checked_at = time.monotonic()
    return _backlog.behind


# ----------------------------------------------------------------- running


@cache
def _pipeline() -> Callable[[OutboxEvent], list[Step]]:
    return import_string(settings.OUTBOX_PIPELINE)


def steps_for(event: OutboxEvent) -> list[Step]:
    return _pipeline()(event)


def pending() -> QuerySet[OutboxEvent]:
    """Events not yet done nor given up (`next_attempt_at` is set exactly for these)."""
    return OutboxEvent.objects.filter(next_attempt_at__isnull=False)


def claim_due(worker: str, *, limit: int = 20, now: datetime.datetime | None = None,
              only: Q | None = None) -> list[OutboxEvent]:
    """Take up to `limit` due events for `OUTBOX_LEASE_SECONDS`: another relay skips them (on
    PostgreSQL `FOR UPDATE SKIP LOCKED` while taking, the lease after) until the lease ends, so a
    relay that died leaves its events to the others a little later."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    # An aggregate's events run in their order: one waits while an earlier one is pending (taken
    # by another relay thread or worker, or waiting for its next try).
    earlier = pending().filter(aggregate_type=OuterRef("aggregate_type"), aggregate_id=OuterRef("aggregate_id"),
                               sequence__lt=OuterRef("sequence"))
    due = pending().filter(next_attempt_at__lte=now).exclude(Exists(earlier))
    if only is not None:
        due = due.filter(only)
    with transaction.atomic():
        events = list(due.select_for_update(skip_locked=True).order_by("next_attempt_at", "id")[:limit])
        if events:
            OutboxEvent.objects.filter(pk__in=[event.pk for event in events]).update(
                next_attempt_at=now + lease, locked_by=worker)
    return events


def _steps_done(events: list[OutboxEvent]) -> dict[int, set[str]]:
    """The steps that have run, per event, in one query for a batch."""
    done: dict[int, set[str]] = {event.pk: set() for event in events}
    if events:
        for event_pk, step in OutboxStep.objects.filter(event__in=events).values_list("event_id", "step"):
            done[event_pk].add(step)
    return done


def run_due(worker: str, *, limit: int = 20, pause_after: str = "") -> int:
    """One round of the relay: claim what is due and run it; how many events were taken."""
    events = claim_due(worker, limit=limit)
    done = _steps_done(events)
    for event in events:
        run_event(event, worker=worker, pause_after=pause_after, done=done[event.pk])
    return len(events)


def settle(aggregate_type: str, aggregate_id: int | str, *, worker: str = "") -> bool:
    """Run this aggregate's due events now, in the caller's process (the desk's own filing, so the
    advisor sees where the request went). Events another relay holds are left to it. True when
    none of the aggregate's events is left pending."""
    worker = worker or worker_name()
    for event in claim_due(worker, only=Q(aggregate_type=aggregate_type, aggregate_id=str(aggregate_id))):
        run_event(event, worker=worker)
    return not pending().filter(aggregate_type=aggregate_type, aggregate_id=str(aggregate_id)).exists()


def run_event(event: OutboxEvent | int, *, worker: str, pause_after: str = "", done: set[str] | None = None) -> bool:
    """Run the event's steps that have not run, in order. True when every step has run; on a
    failure the event waits for its next try (or is given up) and the later steps wait too.
    `event` is one just claimed (or its id, read here); `done`, its steps that ran, where known."""
    if not isinstance(event, OutboxEvent):
        found = OutboxEvent.objects.filter(pk=event).first()
        if found is None:
            return False
        event = found
    if event.done_at is not None or event.failed_at is not None:
        return False
    if done is None:
        done = set(event.steps.values_list("step", flat=True))
    for step in steps_for(event):
        if step.name in done:
            continue
        try:
            ran = _run_step(event, step, worker)
        except Exception as error:
            logger.exception("Outbox event %s: step %s failed", event.event_id, step.name)
            _failed(event, step.name, error)
            return False
        if ran and pause_after == step.name:
            _pause(event, step.name)
    OutboxEvent.objects.filter(pk=event.pk).update(done_at=timezone.now(), next_attempt_at=None, locked_by="")
    return True


def _run_step(event: OutboxEvent, step: Step, worker: str) -> bool:
    """The step's work and its row in one transaction. The row is written first: a second relay
    running the same step waits on its unique key until the first commits, then finds it taken
    and does nothing. False when another run had done it."""
    try:
        with transaction.atomic():
            row_id = _claim_step(event, step.name, worker)
            if row_id is None:
                raise _AlreadyDone()
            result = step.run(event)
            if result:
                OutboxStep.objects.filter(pk=row_id).update(result=result)
    except _AlreadyDone:
        return False
    return True


# Statements Django's ORM cannot write (an insert that may do nothing and says so; an update that
# returns the new value), the same for SQLite and PostgreSQL.
CLAIM_STEP = ('INSERT INTO "outbox_outboxstep" ("event_id", "step", "done_at", "worker", "result") '
              "VALUES (%s, %s, %s, %s, '{}') ON CONFLICT (\"event_id\", \"step\") DO NOTHING RETURNING \"id\"")
NEXT_FEED_POSITION = 'UPDATE "outbox_feedcounter" SET "last" = "last" + 1 WHERE "id" = 1 RETURNING "last"'


def _claim_step(event: OutboxEvent, step: str, worker: str) -> int | None:
    """Insert the step's row, or None when it is there already. One statement, and no savepoint
    around it: `ON CONFLICT DO NOTHING` neither fails the transaction nor needs one."""
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_STEP, [event.pk, step, connection.ops.adapt_datetimefield_value(timezone.now()), worker])
        row = cursor.fetchone()
    return row[0] if row else None


class _AlreadyDone(Exception):
    pass


def _pause(event: OutboxEvent, step: str) -> None:
    """A test hook (ASPA_OUTBOX_PAUSE_AFTER_STEP): stop here, as a worker killed between two
    steps would, until the test kills the process."""
    logger.warning("Outbox event %s: paused after step %s (ASPA_OUTBOX_PAUSE_AFTER_STEP)", event.event_id, step)
    print(f"outbox: paused after {step}", flush=True)  # noqa: T201 (the test waits for this line)
    while True:
        time.sleep(60)


def retry_wait(attempts: int) -> datetime.timedelta:
    """How long the next try waits after `attempts` failed tries."""
    return min(FIRST_WAIT * 2 ** min(attempts - 1, 20), LONGEST_WAIT)


def _failed(event: OutboxEvent, step: str, error: BaseException) -> None:
    attempts = event.attempts + 1
    now = timezone.now()
    reason = f"{step}: {type(error).__name__}: {error}"
    detail = "".join(traceback.format_exception(error)[-3:])
    changes: dict[str, Any] = {"attempts": attempts, "locked_by": "", "last_error": f"{reason}\n\n{detail}"[:4000]}
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        changes.update(failed_at=now, next_attempt_at=None)
        logger.error("Outbox event %s given up after %d tries: %s", event.event_id, attempts, reason)
    else:
        changes["next_attempt_at"] = now + retry_wait(attempts)
    OutboxEvent.objects.filter(pk=event.pk).update(**changes)


def retry(events: Iterable[OutboxEvent]) -> int:
    """An administrator's retry: the given-up (or waiting) events are due again, with a fresh count
    of tries. How many were put back."""
    ids = [event.pk for event in events if event.done_at is None]
    with transaction.atomic():
        count = OutboxEvent.objects.filter(pk__in=ids, done_at__isnull=True).update(
            failed_at=None, attempts=0, next_attempt_at=timezone.now(), locked_by="")
        if runs_inline():
            for pk in ids:
                transaction.on_commit(InlineRun(pk))
    return count


# ----------------------------------------------------------------- publishing


def publish(event: OutboxEvent) -> int:
    """Give the event the next position of the feed integrations read (`GET /api/v1/events`).
    Inside the step's transaction: the counter row stays locked until it commits."""
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(NEXT_FEED_POSITION)
        row = cursor.fetchone()
    if row is None:
        FeedCounter.objects.get_or_create(pk=1)
        return publish(event)
    position = row[0]
    OutboxEvent.objects.filter(pk=event.pk).update(feed_position=position, published_at=timezone.now())
    event.feed_position = position
    return position


# ----------------------------------------------------------------- the worker's heartbeat


def beat(worker: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker=worker).update(beat_at=now):
        WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": now, "started_at": started_at})


def forget_worker(worker: str) -> None:
    """A worker that stops cleanly takes its row away; a dead one's row goes stale."""
    WorkerHeartbeat.objects.filter(worker=worker).delete()


def forget_old_workers(older_than: datetime.timedelta = datetime.timedelta(days=1)) -> None:
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - older_than).delete()
