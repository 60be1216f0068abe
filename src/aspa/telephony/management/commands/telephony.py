"""`aspa telephony purge-recordings`: forget the recording references whose retention date has
passed (the worker does it once a day; docs/telephony.md)."""

from django.core.management.base import BaseCommand

from aspa.telephony.operations import purge_expired_recordings


class Command(BaseCommand):
    help = "Telephony housekeeping: purge-recordings forgets the recording references past their retention date."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge-recordings", help="Forget expired recording references, logging each one.")

    def handle(self, *args, **options):
        purged = purge_expired_recordings()
        for call in purged:
            self.stdout.write(f"{call}: recording reference purged (kept until {call.recording_retained_until})")
        self.stdout.write(f"{len(purged)} recording references purged.")
