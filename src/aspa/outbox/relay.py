"""The relay: the loop in `aspa worker` that runs the outbox's events and writes the worker's
heartbeat (docs/outbox.md).

It polls every `OUTBOX_POLL_SECONDS` (0.2 s), and at once again while it finds work. A database
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
    def __init__(self, worker: str | None = None):
        self.worker = worker or operations.worker_name()
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Run in a thread of its own (beside the task worker), with its own connection."""
        self.thread = threading.Thread(target=self.run, name="outbox-relay", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def run(self) -> None:
        poll = settings.OUTBOX_POLL_SECONDS
        beat_every = settings.OUTBOX_HEARTBEAT_SECONDS
        pause_after = settings.OUTBOX_PAUSE_AFTER_STEP
        last_beat = 0.0
        backoff = 0.0
        try:
            while not self.stopping.is_set():
                try:
                    if time.monotonic() - last_beat >= beat_every:
                        if last_beat == 0.0:
                            operations.forget_old_workers()
                        operations.beat(self.worker, self.started_at)
                        last_beat = time.monotonic()
                    taken = operations.run_due(self.worker, pause_after=pause_after)
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
