"""`aspa serve` keeps its task worker alive: a worker that dies (killed, out of memory, the
database gone) is started again, so queued work does not wait for a person to notice."""

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.operations.serving import free_port, migrated_environment, stop, wait_for


def _workers_of(parent_pid: int) -> set[int]:
    """The `aspa worker` processes whose parent is `parent_pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent_pid and b"aspa.cli" in command and b"worker" in command:
            found.add(int(entry.name))
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (a loopback URL)
            return response.status == 200
    except OSError:
        return False


def test_a_killed_worker_is_started_again(tmp_path):
    environment = migrated_environment(tmp_path)
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "aspa.cli", "serve", "--port", str(port), "--workers", "1"],
                             env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 120, "the server")
        first = wait_for(lambda: _workers_of(serve.pid), 30, "the first worker")

        for pid in first:
            os.kill(pid, signal.SIGKILL)

        again = wait_for(lambda: _workers_of(serve.pid) - first, 30, "a new worker")
        assert again and not again & first
        assert serve.poll() is None, "the server itself keeps serving"
    finally:
        errors = stop(serve)
    assert b"The task worker stopped" in errors
