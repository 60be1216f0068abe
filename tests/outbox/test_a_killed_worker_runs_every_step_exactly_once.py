"""A worker killed between two steps of the after-filing pipeline (SIGKILL, right after the route
step committed) loses nothing and repeats nothing: the next worker runs the remaining steps, and
in the end every step ran exactly once: one routing decision, one process, one receipt, one
place in the feed."""

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _environment(data_dir: Path, **extra: str) -> dict:
    environment = {**os.environ, "ASPA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "aspa.settings",
                   "ASPA_OUTBOX_LEASE_SECONDS": "1", "ASPA_TASKS_IMMEDIATE": "false", **extra}
    environment.pop("DATABASE_URL", None)  # a database of its own, not the test run's
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), environment.get("PYTHONPATH", "")])
    return environment


def _worker(data_dir: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "aspa.cli", "worker"], env=_environment(data_dir, **extra),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_for_line(process: subprocess.Popen, text: bytes, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            seen += line
            if text in line:
                return
            if not line and process.poll() is not None:
                break
    pytest.fail(f"the worker never said {text!r}; it said:\n{seen.decode(errors='replace')[-3000:]}")


def _query(data_dir: Path, sql: str, *parameters):
    with sqlite3.connect(data_dir / "aspa.sqlite3", timeout=10) as database:
        return database.execute(sql, parameters).fetchall()


def _steps(data_dir: Path, request_id: int) -> list[str]:
    return [row[0] for row in _query(
        data_dir, "SELECT s.step FROM outbox_outboxstep s JOIN outbox_outboxevent e ON e.id = s.event_id "
                  "WHERE e.aggregate_id = ? ORDER BY s.id", str(request_id))]


def test_a_worker_killed_after_the_route_step_leaves_every_step_run_exactly_once(tmp_path):
    made = subprocess.run([sys.executable, "-m", "tests.outbox.scenario", "setup"], env=_environment(tmp_path),
                          cwd=ROOT, capture_output=True, check=True, timeout=600)
    request_id = int(made.stdout.split()[-1])
    assert _steps(tmp_path, request_id) == []  # filing ran none of them

    first = _worker(tmp_path, ASPA_OUTBOX_PAUSE_AFTER_STEP="route")
    try:
        _wait_for_line(first, b"outbox: paused after route", 120)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        first.stdout.close()
    assert _steps(tmp_path, request_id) == ["route"]
    assert _query(tmp_path, "SELECT count(*) FROM processes_processinstance")[0][0] == 0

    second = _worker(tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not _query(tmp_path, "SELECT done_at FROM outbox_outboxevent WHERE aggregate_id = ?",
                         str(request_id))[0][0]:
            assert time.monotonic() < deadline, "the second worker did not finish the event"
            assert second.poll() is None, second.stdout.read().decode(errors="replace")[-3000:]
            time.sleep(0.3)
    finally:
        second.terminate()
        second.wait(timeout=30)
        second.stdout.close()

    assert _steps(tmp_path, request_id) == ["route", "start_process", "receipt", "notify_staff", "publish"]
    kinds = [row[0] for row in _query(tmp_path, "SELECT kind FROM requests_requestevent WHERE request_id = ? "
                                                "ORDER BY at, id", request_id)]
    assert kinds.count("routed") == 1 and kinds.count("process_started") == 1
    assert kinds[:3] == ["filed", "routed", "process_started"]
    assert _query(tmp_path, "SELECT count(*) FROM processes_processinstance WHERE request_id = ?",
                  request_id)[0][0] == 1
    receipts = _query(tmp_path, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                                "WHERE task_path = 'aspa.notifications.deliver_email' AND args_kwargs LIKE ?",
                      "%veneilija@example.fi%")[0][0]
    assert receipts == 1
    ((position, attempts),) = _query(tmp_path, "SELECT feed_position, attempts FROM outbox_outboxevent "
                                               "WHERE aggregate_id = ?", str(request_id))
    assert position == 1 and attempts == 0  # nothing failed: the second worker only went on
