from django.core.management.base import BaseCommand, CommandError

from aspa.processes import operations


class Command(BaseCommand):
    help = ("Service processes: `load` publishes the shipped BPMN files (again only if changed), "
            "`timers` runs the due timers once (the worker does this every minute).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "timers"])

    def handle(self, *args, **options):
        if options["action"] == "load":
            counts = operations.load_shipped(say=self.stdout.write)
            self.stdout.write(f"processes: {counts['published']} published, {counts['unchanged']} unchanged")
            return
        if options["action"] == "timers":
            moved = operations.run_due_timers()
            self.stdout.write(f"process timers: {moved} instance(s) moved on")
            return
        raise CommandError("unknown action")
