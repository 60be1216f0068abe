import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the whole system with gunicorn (and, unless --no-worker, a background task worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker")

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "aspa.cli", "worker"])  # noqa: S603
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Aspa serves http://{address}/  (API docs: http://{address}/api/v1/docs, "
                          f"admin: http://{address}/admin/)  data: {settings.DATA_DIR}")
        command = [sys.executable, "-m", "gunicorn", "aspa.wsgi:application", "--bind", address,
                   "--workers", str(options["workers"]), "--access-logfile", "-", "--graceful-timeout", "10"]
        server = subprocess.Popen(command)  # noqa: S603
        # A service manager stops `aspa serve` with SIGTERM: pass it on, so that gunicorn and the
        # worker stop too instead of living on and holding the port.
        signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())
        try:
            server.wait()
        except KeyboardInterrupt:
            pass  # Ctrl-C reached gunicorn too (same process group); it is shutting down
        finally:
            for process in (server, worker):
                if process is not None and process.poll() is None:
                    process.terminate()
            for process in (server, worker):
                if process is not None:
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        process.kill()
