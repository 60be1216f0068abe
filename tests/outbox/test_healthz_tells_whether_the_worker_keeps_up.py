"""/healthz is ready (200) while the worker beats and the outbox keeps up, and not ready (503, with
the reason) when the worker's heartbeat is stale or the oldest pending event is too old."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from aspa.outbox import operations
from aspa.outbox.models import OutboxEvent
from tests.factories.identity import UserFactory
from tests.factories.requests import file


@pytest.fixture
def thresholds(settings):
    settings.HEALTH_WORKER_STALE_SECONDS = 30
    settings.HEALTH_OUTBOX_LAG_SECONDS = 60


def _health():
    response = Client().get("/healthz")
    return response.status_code, response.json()


def test_ready_while_the_worker_beats_and_nothing_waits(db, thresholds):
    operations.beat("host:1", timezone.now())
    assert _health() == (200, {"status": "ok"})


def test_not_ready_when_the_heartbeat_is_stale(db, thresholds):
    now = timezone.now()
    operations.beat("host:1", now)
    with time_machine.travel(now + datetime.timedelta(seconds=31), tick=False):
        status, body = _health()
    assert status == 503
    assert body["status"] == "unavailable" and "heartbeat" in body["reason"]
    # A second worker that beats makes the node ready again.
    with time_machine.travel(now + datetime.timedelta(seconds=31), tick=False):
        operations.beat("host:2", timezone.now())
        assert _health()[0] == 200


def test_not_ready_when_the_outbox_lags_and_ready_again_when_it_caught_up(catalogue, thresholds, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # nobody runs the events
    service_request = file(UserFactory(role="advisor", department=catalogue.centre))
    assert _health()[0] == 200  # just filed: not late yet
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61), tick=False):
        status, body = _health()
        assert status == 503 and "outbox" in body["reason"]
        operations.beat("host:1", timezone.now())
        operations.run_due("host:1")
        assert _health() == (200, {"status": "ok"})
    assert OutboxEvent.objects.get(aggregate_id=str(service_request.pk)).state == "done"
