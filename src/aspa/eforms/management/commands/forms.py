"""`aspa forms load [DIRECTORY]`: load or update the electronic forms from JSON files.
`aspa forms purge-drafts [--days N]`: delete stale drafts and their files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aspa.eforms.loading import SHIPPED, FormFileError, load_directory
from aspa.eforms.operations import purge_drafts


class Command(BaseCommand):
    help = "Load electronic forms from JSON files; a changed file becomes a new version of its form."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load the forms (by default the shipped ones).")
        load.add_argument("directory", nargs="?", default=str(SHIPPED))
        purge = sub.add_parser("purge-drafts", help="Delete drafts nobody has saved for a while, with their files.")
        purge.add_argument("--days", type=int, default=90, help="Age of a signed-in resident's draft (default 90).")

    def handle(self, *args, **options):
        if options["action"] == "purge-drafts":
            deleted = purge_drafts(days=options["days"])
            self.stdout.write(f"{deleted} drafts deleted.")
            return
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"No such directory: {directory}")
        try:
            loaded = load_directory(directory)
        except FormFileError as problem:
            raise CommandError(str(problem)) from None
        for entry in loaded:
            state = "new version" if entry.changed else "unchanged"
            self.stdout.write(f"{entry.code}: version {entry.version} ({state})")
