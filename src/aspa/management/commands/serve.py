import os
import sys
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Serve the whole system with gunicorn and, unless --no-worker, a task worker that is restarted "
            "if it exits.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS,
                            help="gunicorn worker processes (ASPA_SERVE_WORKERS)")
        parser.add_argument("--threads", type=int, default=settings.SERVE_THREADS,
                            help="threads per worker; 1 runs sync workers (ASPA_SERVE_THREADS)")
        parser.add_argument("--keep-alive", type=int, default=settings.SERVE_KEEPALIVE_SECONDS,
                            help="seconds a threaded worker keeps an idle connection (ASPA_SERVE_KEEPALIVE_SECONDS)")
        parser.add_argument("--preload", action=BooleanOptionalAction, default=settings.SERVE_PRELOAD,
                            help="load the application in the master before forking (ASPA_SERVE_PRELOAD)")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker")

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Aspa serves http://{address}/  (API docs: http://{address}/api/v1/docs, "
                          f"admin: http://{address}/admin/)  data: {settings.DATA_DIR}")
        threads = max(1, options["threads"])
        # No control socket: gunicorn's default is one path per user, so a second `aspa serve` on
        # the same machine would take over the first one's socket and remove it when it stops.
        server = [sys.executable, "-m", "gunicorn", "aspa.wsgi:application", "--bind", address,
                  "--config", "python:aspa.management.gunicorn_config",
                  "--workers", str(options["workers"]), "--access-logfile", "-", "--graceful-timeout", "10",
                  "--no-control-socket"]
        if threads > 1:
            server += ["--worker-class", "gthread", "--threads", str(threads), "--keep-alive", str(options["keep_alive"])]
        if options["preload"]:
            server.append("--preload")
        supervisor = [sys.executable, "-m", "aspa.management.supervisor"]
        if options["no_worker"]:
            supervisor.append("--no-worker")
        # This process has loaded Django to collect the static files; the supervisor that runs
        # gunicorn and the task worker needs none of it, so it takes this process's place (and id).
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [*supervisor, "--", *server])  # noqa: S606
