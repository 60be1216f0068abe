import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# A worker that keeps dying (the database is down) is restarted after 1, 2, 4 … seconds, at most
# every 30; one that ran for a minute counts as healthy again and is restarted at once next time.
FIRST_DELAY, LONGEST_DELAY, HEALTHY_AFTER = 1.0, 30.0, 60.0


class WorkerSupervisor:
    """Keeps one `aspa worker` running beside the web server: restarted whenever it exits."""

    def __init__(self, log):
        self.log = log
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = FIRST_DELAY
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "aspa.cli", "worker"])  # noqa: S603
        self.started_at = time.monotonic()
        self.restart_at = None

    def check(self) -> None:
        """Called every second: restart the worker once its backoff has passed."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
            return
        if self.process is None or self.process.poll() is None:
            return
        if now - self.started_at >= HEALTHY_AFTER:
            self.delay = FIRST_DELAY
        self.log(f"The task worker stopped (exit code {self.process.returncode}); "
                 f"starting it again in {self.delay:.0f} s.")
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, LONGEST_DELAY)

    def stop(self) -> None:
        self.restart_at = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()


class Command(BaseCommand):
    help = "Serve the whole system with gunicorn and, unless --no-worker, a task worker that is restarted if it exits."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker")

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        supervisor = None if options["no_worker"] else WorkerSupervisor(self.stderr.write)
        if supervisor is not None:
            supervisor.start()
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Aspa serves http://{address}/  (API docs: http://{address}/api/v1/docs, "
                          f"admin: http://{address}/admin/)  data: {settings.DATA_DIR}")
        # No control socket: gunicorn's default is one path per user, so a second `aspa serve` on
        # the same machine would take over the first one's socket and remove it when it stops.
        command = [sys.executable, "-m", "gunicorn", "aspa.wsgi:application", "--bind", address,
                   "--workers", str(options["workers"]), "--access-logfile", "-", "--graceful-timeout", "10",
                   "--no-control-socket"]
        server = subprocess.Popen(command)  # noqa: S603
        # A service manager stops `aspa serve` with SIGTERM: pass it on, so that gunicorn and the
        # worker stop too instead of living on and holding the port.
        signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())
        try:
            while server.poll() is None:
                try:
                    server.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    if supervisor is not None:
                        supervisor.check()
        except KeyboardInterrupt:
            pass  # Ctrl-C reached gunicorn too (same process group); it is shutting down
        finally:
            if supervisor is not None:
                supervisor.stop()
            if server.poll() is None:
                server.terminate()
            for process in (server, supervisor.process if supervisor else None):
                if process is not None:
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        process.kill()
