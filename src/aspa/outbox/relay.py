"""The relay: the loop in `aspa worker` that runs the outbox's events and writes the worker's
heartbeat (docs/outbox.md).

Each of its threads polls every `OUTBOX_POLL_SECONDS` (0.2 s), and at once again while it finds
work, taking `OUTBOX_BATCH` events at a time (on PostgreSQL `SKIP LOCKED`: the threads and other
workers never take the same event). A database
that goes away (restarted, failed over) is waited for: the broken connection is closed and the
loop goes on, a little slower each time, so the relay heals by itself once the database is back.
The heartbeat is written every `OUTBOX_HEARTBEAT_SECONDS` from the same loop, so a relay that is
stuck stops beating and `/healthz` says so."""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from aspa.outbox import operations

logger = logging.getLogger(__name__)

LONGEST_BACKOFF = 5.0


class Relay:
    """`OUTBOX_RELAY_THREADS` threads, each with its own database connection, each taking a few
    events at a time: a step spends most of its time waiting for the database, so on a busy
    machine several threads keep up where one falls behind. The first thread also writes the
    heartbeat."""

    def __init__(self, worker: str | None = None, threads: int | None = None):
        self.worker = worker or operations.worker_name()
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.count = threads or settings.OUTBOX_RELAY_THREADS
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        """Run beside the task worker, in threads of their own."""
        for number in range(self.count):
            thread = threading.Thread(target=self.run, kwargs={"beats": number == 0},
                                      name=f"outbox-relay-{number}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout)

    def run(self, beats: bool = True) -> None:
        poll = settings.OUTBOX_POLL_SECONDS
        beat_every = settings.OUTBOX_HEARTBEAT_SECONDS
        pause_after = settings.OUTBOX_PAUSE_AFTER_STEP
        batch = settings.OUTBOX_BATCH
        last_beat = 0.0
        backoff = 0.0
        try:
            while not self.stopping.is_set():
                try:
                    if beats and time.monotonic() - last_beat >= beat_every:
                        if last_beat == 0.0:
                            operations.forget_old_workers()
                        operations.beat(self.worker, self.started_at)
                        last_beat = time.monotonic()
                    taken = operations.run_due(self.worker, limit=batch, pause_after=pause_after)
                    backoff = 0.0
                except DatabaseError as error:
                    # The database restarted or is gone: drop the broken connection and try again.
                    backoff = min(max(backoff * 2, 0.5), LONGEST_BACKOFF)
                    logger.warning("Outbox relay: the database failed (%s); trying again in %.1f s", error, backoff)
                    _close_connection()
                    self.stopping.wait(backoff)
                    continue
                except Exception:
                    logger.exception("Outbox relay: a round failed")
                    taken = 0
                    self.stopping.wait(1.0)
                if not taken:
                    close_old_connections()
                    self.stopping.wait(poll)
            if last_beat:
                operations.forget_worker(self.worker)
        except DatabaseError:
            pass  # stopping while the database is away: the row goes stale, as it should
        finally:
            _close_connection()


def drain(worker: str | None = None) -> int:
    """Run every due event now, then return (`aspa worker --batch`); how many ran."""
    worker = worker or operations.worker_name()
    total = 0
    while taken := operations.run_due(worker):
        total += taken
    return total


def _close_connection() -> None:
    with contextlib.suppress(DatabaseError):
        connection.close()
