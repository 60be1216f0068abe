"""A step that fails is tried again later, waiting longer each time; after its last try the event
is given up and listed for the administrator with the reason, and their retry runs it. The
steps before the failing one are not run again, and the request is routed all along."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from aspa.outbox import operations
from aspa.outbox.models import OutboxEvent
from aspa.outbox.relay import drain
from tests.factories.identity import UserFactory
from tests.factories.requests import file


@pytest.fixture
def worker_mode(settings):
    """Events wait for the relay, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OUTBOX_MAX_ATTEMPTS = 3


@pytest.fixture
def broken_receipt(monkeypatch):
    from aspa import after_filing

    calls = []

    def fail(event):
        calls.append(event.pk)
        raise ConnectionError("the mail queue is down")

    steps = [step if step.name != "receipt" else operations.Step("receipt", fail)
             for step in after_filing.PIPELINES[after_filing.events.FILED]]
    monkeypatch.setitem(after_filing.PIPELINES, after_filing.events.FILED, steps)
    return calls


def test_a_failing_step_is_retried_with_backoff_then_given_up_and_retried_by_the_administrator(
        catalogue, worker_mode, broken_receipt, monkeypatch):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor)
    event = OutboxEvent.objects.get(aggregate_id=str(service_request.pk))

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        drain()
    event.refresh_from_db()
    assert (event.attempts, event.state) == (1, "pending")
    assert event.next_attempt_at == start + datetime.timedelta(seconds=1)
    assert event.last_error.startswith("receipt: ConnectionError: the mail queue is down")
    assert list(event.steps.values_list("step", flat=True)) == ["route", "start_process"]

    with time_machine.travel(start + datetime.timedelta(milliseconds=500), tick=False):
        assert drain() == 0  # not yet due
    with time_machine.travel(start + datetime.timedelta(seconds=1), tick=False):
        drain()
    event.refresh_from_db()
    assert event.attempts == 2
    assert event.next_attempt_at == start + datetime.timedelta(seconds=1 + 2)  # waits twice as long
    with time_machine.travel(start + datetime.timedelta(seconds=3), tick=False):
        drain()
    event.refresh_from_db()
    assert (event.attempts, event.state, event.next_attempt_at) == (3, "failed", None)
    assert len(broken_receipt) == 3
    # The steps that ran did not run again.
    assert list(event.steps.values_list("step", flat=True)) == ["route", "start_process"]

    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    listing = client.get("/admin/outbox/outboxevent/", {"state": "failed"}).content.decode()
    assert "receipt: ConnectionError: the mail queue is down" in listing
    assert "aspa.request.filed" in listing

    monkeypatch.undo()  # the mail queue is back
    worker_mode_settings = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert worker_mode_settings  # (the fixture's settings stay)
    response = client.post("/admin/outbox/outboxevent/", {"action": "retry_events",
                                                          "_selected_action": [event.pk]})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.state, event.attempts) == ("pending", 0)
    drain()
    event.refresh_from_db()
    assert event.state == "done"
    assert list(event.steps.values_list("step", flat=True)) == [
        "route", "start_process", "receipt", "notify_staff", "publish"]
    assert event.feed_position is not None
