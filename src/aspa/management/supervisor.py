"""What `aspa serve` becomes once the static files are collected: the parent of gunicorn and of the
task worker, which it restarts whenever it exits.

It imports no Django: `aspa serve` replaces itself with `python -m aspa.management.supervisor`
(the same process id, for a service manager), so the parent holds a few MiB instead of a whole
application (docs/benchmarks.md, "Serving: workers, threads, preload")."""

import argparse
import signal
import subprocess
import sys
import time

# A worker that keeps dying (the database is down) is restarted after 1, 2, 4 … seconds, at most
# every 30; one that ran for a minute counts as healthy again and is restarted at once next time.
FIRST_DELAY, LONGEST_DELAY, HEALTHY_AFTER = 1.0, 30.0, 60.0
WORKER_COMMAND = [sys.executable, "-m", "aspa.cli", "worker"]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class WorkerSupervisor:
    """Keeps one `aspa worker` running beside the web server: restarted whenever it exits."""

    def __init__(self, log=_say):
        self.log = log
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = FIRST_DELAY
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(WORKER_COMMAND)  # noqa: S603
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


def supervise(server_command: list[str], with_worker: bool) -> None:
    """Run the web server until it stops, and the task worker beside it."""
    supervisor = WorkerSupervisor() if with_worker else None
    if supervisor is not None:
        supervisor.start()
    server = subprocess.Popen(server_command)  # noqa: S603
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


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a web server command and a task worker beside it.")
    parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
    parser.add_argument("server", nargs=argparse.REMAINDER, help="the web server's command, after --")
    arguments = parser.parse_args()
    command = arguments.server[1:] if arguments.server[:1] == ["--"] else arguments.server
    if not command:
        parser.error("give the web server's command after --")
    supervise(command, with_worker=not arguments.no_worker)


if __name__ == "__main__":
    main()
