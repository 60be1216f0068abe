"""Running a real `aspa serve` in a test: a migrated data folder of its own, a free loopback
port, waiting for a condition, and stopping it with what it wrote to stderr."""

import os
import socket
import subprocess
import sys
import time

import pytest


def migrated_environment(data_dir) -> dict:
    """The environment of a server with an SQLite database of its own, not the test run's."""
    environment = {**os.environ, "ASPA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "aspa.settings"}
    environment.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "aspa.cli", "migrate", "-v", "0"], env=environment, check=True,
                   timeout=300)
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def stop(serve: subprocess.Popen) -> bytes:
    """Stop the server as a service manager would (SIGTERM); what it wrote to stderr."""
    serve.terminate()
    try:
        _, errors = serve.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        serve.kill()
        _, errors = serve.communicate()
    return errors
