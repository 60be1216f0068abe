"""When the workers fall behind (overloaded, or none running), the process that files a request
runs that request's pipeline itself right after the commit, so the backlog stops growing and the
new request is routed at once; the events already waiting stay the workers'."""

import datetime

import pytest
from django.utils import timezone

from aspa.identity.models import Role
from aspa.outbox import operations
from aspa.outbox.models import OutboxEvent
from aspa.outbox.relay import drain


@pytest.fixture
def worker_way(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a worker would run events
    settings.OUTBOX_CALLER_RUNS_AFTER_SECONDS = 2
    operations._backlog.checked_at = -1e9  # look at the backlog afresh
    yield settings
    operations._backlog.checked_at = -1e9


def _file(advisor, description):
    answer = advisor.post("requests", {"type": "question", "channel": "phone", "description": description,
                                       "service": "yleisneuvonta"})
    assert answer.status_code == 201
    return answer.json()


def _state(number):
    return OutboxEvent.objects.get(payload__number=number).state


def test_a_filing_runs_its_own_pipeline_while_an_older_event_has_waited_too_long(catalogue, api, worker_way):
    advisor = api(Role.ADVISOR)
    waiting = _file(advisor, "Ensimmäinen")
    OutboxEvent.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=10),
                               created_at=timezone.now() - datetime.timedelta(seconds=10))
    operations._backlog.checked_at = -1e9

    filed = _file(advisor, "Toinen")

    assert filed["routing_pending"] is True  # the answer shows the request as filed …
    assert _state(filed["number"]) == "done"  # … and its pipeline ran before the answer went out
    assert advisor.get(f"requests/{filed['number']}").json()["routing_pending"] is False
    assert _state(waiting["number"]) == "pending"  # the backlog is the workers'
    assert drain() == 1 and _state(waiting["number"]) == "done"


def test_while_the_workers_keep_up_filing_leaves_the_pipeline_to_them(catalogue, api, worker_way):
    advisor = api(Role.ADVISOR)
    first = _file(advisor, "Ensimmäinen")
    operations._backlog.checked_at = -1e9
    second = _file(advisor, "Toinen")  # the first waited under a second: not behind
    assert _state(first["number"]) == _state(second["number"]) == "pending"


def test_the_writer_never_helps_when_it_is_switched_off(catalogue, api, worker_way):
    worker_way.OUTBOX_CALLER_RUNS_AFTER_SECONDS = 0
    advisor = api(Role.ADVISOR)
    _file(advisor, "Ensimmäinen")
    OutboxEvent.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))
    operations._backlog.checked_at = -1e9
    assert _state(_file(advisor, "Toinen")["number"]) == "pending"
