"""Two relays at once on PostgreSQL (two workers, or a worker and the desk's own filing) never run a
step twice: they take different events (FOR UPDATE SKIP LOCKED), and even two that run the same
event meet at the step's unique row and only one of them does the step."""

import threading

import pytest
from django.db import connection, connections

from aspa.outbox import operations
from aspa.outbox.models import OutboxEvent, OutboxStep
from aspa.processes.models import ProcessInstance
from aspa.requests.models import RequestEvent
from tests.processes.conftest import file_for, make_city

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SKIP LOCKED and concurrent writers need PostgreSQL; SQLite has one writer"),
]


def _in_threads(*functions):
    errors = []
    barrier = threading.Barrier(len(functions))

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


def _assert_each_step_once():
    steps = list(OutboxStep.objects.values_list("event_id", "step"))
    assert len(steps) == len(set(steps))
    for event in OutboxEvent.objects.all():
        assert event.state == "done", event.last_error
        request_id = int(event.aggregate_id)
        assert RequestEvent.objects.filter(request_id=request_id, kind="process_started").count() == 1
        assert ProcessInstance.objects.filter(request_id=request_id).count() == 1


def test_two_relays_share_the_events_and_run_each_step_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = make_city()
    for number in range(12):
        file_for(city.resident(email=f"asukas{number}@example.fi"), "venepaikka", "application")

    def relay(name):
        return lambda: [operations.run_due(name, limit=2) for _ in range(20)]

    _in_threads(relay("one"), relay("two"))

    _assert_each_step_once()
    assert set(OutboxStep.objects.values_list("worker", flat=True)) == {"one", "two"}


def test_two_runs_of_the_same_event_do_each_step_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = make_city()
    file_for(city.resident(), "venepaikka", "application")
    event = OutboxEvent.objects.get()

    # Both run the event without taking it first, as two relays would after a lease ran out.
    _in_threads(lambda: operations.run_event(event.pk, worker="one"),
                lambda: operations.run_event(event.pk, worker="two"))

    _assert_each_step_once()
    assert OutboxStep.objects.count() == 5
