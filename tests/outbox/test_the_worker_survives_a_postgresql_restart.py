"""PostgreSQL restarts while `aspa serve` runs: meanwhile /healthz says the node is not ready, and
afterwards the task worker is back (reconnected, or restarted by `aspa serve`) and beating, so
/healthz is ready again. The test runs a PostgreSQL cluster of its own on a free port, so the
shared test database is never disturbed."""

import glob
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.operations.serving import free_port, stop, wait_for

ROOT = Path(__file__).resolve().parents[2]
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))

pytestmark = pytest.mark.skipif(not BINARIES or not os.path.exists(f"{BINARIES[-1]}/pg_ctl"),
                                reason="PostgreSQL's server binaries (initdb, pg_ctl) are not installed")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except (OSError, ValueError):
        return 0, {}


class Cluster:
    def __init__(self, directory: Path, port: int):
        self.data = directory / "data"
        self.port = port
        self.bin = BINARIES[-1]
        directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
        subprocess.run(_as_postgres([f"{self.bin}/initdb", "-D", str(self.data), "-U", "postgres",
                                     "--auth=trust", "-E", "UTF8", "--locale=C"]),
                       check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        subprocess.run(_as_postgres([f"{self.bin}/pg_ctl", "-D", str(self.data), "-w", "-l",
                                     str(self.data / "log"), "-o",
                                     f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start"]),
                       check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        subprocess.run(_as_postgres([f"{self.bin}/pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop"]),
                       capture_output=True, timeout=120)


def test_a_postgresql_restart_leaves_the_worker_running_and_healthz_tells_the_truth(tmp_path):
    directory = Path(f"/tmp/aspa-pg-{os.getpid()}-{free_port()}")
    cluster = Cluster(directory, free_port())
    cluster.start()
    port = free_port()
    environment = {**os.environ, "ASPA_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "aspa.settings",
                   "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/postgres",
                   "ASPA_TASKS_IMMEDIATE": "false", "ASPA_WORKER_HEARTBEAT_SECONDS": "1",
                   "ASPA_HEALTH_WORKER_STALE_SECONDS": "6"}
    serve = None
    try:
        subprocess.run([sys.executable, "-m", "aspa.cli", "migrate", "-v", "0"], env=environment, check=True,
                       timeout=300, cwd=ROOT)
        serve = subprocess.Popen([sys.executable, "-m", "aspa.cli", "serve", "--port", str(port), "--workers", "1"],
                                 env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(lambda: _health(port)[0] == 200, 120, "the server to be ready")

        cluster.stop()
        status, body = wait_for(lambda: (answer := _health(port))[0] == 503 and answer, 30, "a 503")
        assert "database" in body["reason"]
        time.sleep(8)  # longer than the heartbeat may be stale: only a worker that came back beats again
        assert _health(port)[0] == 503

        cluster.start()
        wait_for(lambda: _health(port) == (200, {"status": "ok"}), 90, "the worker to beat again")
        assert serve.poll() is None, "the server kept serving"
    finally:
        if serve is not None:
            stop(serve)
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)
