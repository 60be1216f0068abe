"""`aspa serve` loads the application once, in gunicorn's master, and forks the workers from it:
the master holds no database connection and no other thread when it forks, the workers answer
their first request without importing anything heavy, and `aspa serve` itself, once it has
collected the static files, is a small supervisor without Django."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.operations.serving import free_port, migrated_environment, stop, wait_for


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _command(pid: int) -> str:
    return " ".join(part.decode() for part in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if part)


def _resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def _open_files(pid: int) -> list[str]:
    return [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]


def _answered(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a loopback URL)
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500 or error.code == 503  # /healthz: not ready, but answering
    except OSError:
        return False


def test_the_workers_are_forked_from_a_master_that_loaded_the_application(tmp_path):
    environment = migrated_environment(tmp_path)
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "aspa.cli", "serve", "--port", str(port), "--workers", "2",
                              "--threads", "2", "--preload"],
                             env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: _answered(f"http://127.0.0.1:{port}/healthz"), 120, "the server")
        assert "aspa.management.supervisor" in _command(serve.pid)
        assert _resident_mib(serve.pid) < 40, "aspa serve holds no application"

        master = next(pid for pid in _children(serve.pid) if "-m gunicorn" in _command(pid))
        workers = wait_for(lambda: len(_children(master)) == 2 and _children(master), 30, "two workers")
        assert len(list(Path(f"/proc/{master}/task").iterdir())) == 1, "the master runs no other thread"
        assert not any("aspa.sqlite3" in name for name in _open_files(master)), "nor holds the database open"

        assert _answered(f"http://127.0.0.1:{port}/portal/")
        for pid in (master, *workers):
            mapped = Path(f"/proc/{pid}/maps").read_text()
            assert "/sklearn/" not in mapped and "/scipy" not in mapped, "a portal page needs no scikit-learn"
    finally:
        errors = stop(serve)
    assert b"The application is loaded in the master" in errors
    assert b"Threads in the master" not in errors
