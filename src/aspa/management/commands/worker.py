from django.core.management import call_command
from django.core.management.base import BaseCommand

from aspa.daily import schedule_daily
from aspa.eforms.tasks import purge_drafts_daily
from aspa.knowledge.tasks import remind_reviewers_daily
from aspa.processes.tasks import schedule_timer_checks

# Housekeeping that would otherwise need cron (`aspa forms purge-drafts`, `aspa kb remind`).
DAILY_TASKS = (purge_drafts_daily, remind_reviewers_daily)


class Command(BaseCommand):
    help = ("Run the background tasks waiting in the database queue (queued emails, the service processes' "
            "timers, the daily housekeeping) until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default")
        parser.add_argument("--batch", action="store_true", help="Run the tasks waiting now, then stop")

    def handle(self, *args, **options):
        arguments = ["--queue-name", options["queue"]]
        if options["batch"]:
            arguments.append("--batch")
        elif options["queue"] == "default":
            # The service processes' timers (escalations) run as a task that requeues itself.
            schedule_timer_checks(now=True)
            for daily_task in DAILY_TASKS:
                schedule_daily(daily_task)
        call_command("db_worker", *arguments)
