"""`aspa serve` keeps its task worker alive: a worker that dies (killed, out of memory, the
database gone) is started again, so queued work does not wait for a person to notice."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (a loopback URL)
            return response.status == 200
    except OSError:
        return False


def test_a_killed_worker_is_started_again(tmp_path):
    environment = {**os.environ, "ASPA_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "aspa.settings"}
    environment.pop("DATABASE_URL", None)  # a database of its own, not the test run's
    subprocess.run([sys.executable, "-m", "aspa.cli", "migrate", "-v", "0"], env=environment, check=True,
                   timeout=300)
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "aspa.cli", "serve", "--port", str(port), "--workers", "1"],
                             env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 120, "the server")
        first = _wait_for(lambda: _workers_of(serve.pid), 30, "the first worker")

        for pid in first:
            os.kill(pid, signal.SIGKILL)

        again = _wait_for(lambda: _workers_of(serve.pid) - first, 30, "a new worker")
        assert again and not again & first
        assert serve.poll() is None, "the server itself keeps serving"
    finally:
        serve.terminate()
        try:
            _, errors = serve.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            _, errors = serve.communicate()
    assert b"The task worker stopped" in errors
