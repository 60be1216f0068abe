from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (emails, event delivery) from the database queue until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default")
        parser.add_argument("--batch", action="store_true", help="Run the tasks waiting now, then stop")

    def handle(self, *args, **options):
        arguments = ["--queue-name", options["queue"]]
        if options["batch"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
