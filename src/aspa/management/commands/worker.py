import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections

from aspa.daily import schedule_daily
from aspa.eforms.tasks import purge_drafts_daily
from aspa.knowledge.tasks import remind_reviewers_daily
from aspa.outbox.relay import Relay, drain
from aspa.processes.tasks import schedule_timer_checks
from aspa.telephony.tasks import purge_recordings_daily

logger = logging.getLogger(__name__)

# Housekeeping that would otherwise need cron (`aspa forms purge-drafts`, `aspa kb remind`,
# `aspa telephony purge-recordings`).
DAILY_TASKS = (purge_drafts_daily, remind_reviewers_daily, purge_recordings_daily)
# A database that went away is waited for: 1, 2, 4 … s, at most 30 s, between tries.
FIRST_DELAY, LONGEST_DELAY = 1.0, 30.0


class Command(BaseCommand):
    help = ("Run the outbox's events (after filing: routing, the process, the receipt, the staff's notice, "
            "publishing; docs/outbox.md) and the background tasks waiting in the database queue (queued "
            "emails, the service processes' timers, the daily housekeeping) until stopped, writing a "
            "heartbeat that /healthz reads.")

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default")
        parser.add_argument("--batch", action="store_true", help="Run the events and tasks waiting now, then stop")

    def handle(self, *args, **options):
        arguments = ["--queue-name", options["queue"]]
        if options["batch"]:
            drain()
            call_command("db_worker", *arguments, "--batch")
            return
        relay = Relay() if options["queue"] == "default" else None
        if relay is not None:
            relay.start()
        try:
            self._run_tasks(arguments, first=options["queue"] == "default")
        finally:
            if relay is not None:
                relay.stop()

    def _run_tasks(self, arguments: list[str], *, first: bool) -> None:
        """The task worker, started again when the database goes away under it (restarted, failed
        over): it gives up on an error it does not know, and the connections are broken."""
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                if first:
                    # The service processes' timers (escalations) run as a task that requeues itself.
                    schedule_timer_checks(now=True)
                    for daily_task in DAILY_TASKS:
                        schedule_daily(daily_task)
                    first = False
                call_command("db_worker", *arguments)
                return  # stopped by a signal
            except DatabaseError as error:
                if time.monotonic() - started > 60:
                    delay = FIRST_DELAY
                logger.warning("The task worker lost the database (%s); starting it again in %.0f s.", error, delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, LONGEST_DELAY)
