"""A request's events run in the order they happened, whichever relay thread or worker takes them:
while its filing is still being run (or waits for a retry), its reclassification waits too, so
the reclassification's routing never runs before the filing's."""

import pytest

from aspa.outbox import operations
from aspa.outbox.models import OutboxEvent
from aspa.requests import operations as request_operations
from tests.processes.conftest import file_for, make_city


@pytest.fixture
def worker_way(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OUTBOX_CALLER_RUNS_AFTER_SECONDS = 0


def test_a_reclassification_waits_until_the_filing_has_run(db, worker_way):
    city = make_city()
    filed = file_for(city.resident(), "venepaikka", "application")
    other = file_for(city.resident(email="toinen@example.fi"), "venepaikka", "application")
    request_operations.classify(city.advisor, filed, version=filed.version, service="viljelypalsta")
    filing, reclassifying = OutboxEvent.objects.filter(aggregate_id=str(filed.pk)).order_by("sequence")

    first_relay = operations.claim_due("one", limit=1)
    assert [event.pk for event in first_relay] == [filing.pk]
    # The second relay takes the other request's filing, not the reclassification.
    assert [event.pk for event in operations.claim_due("two")] == [OutboxEvent.objects.get(
        aggregate_id=str(other.pk)).pk]

    operations.run_event(first_relay[0], worker="one")
    assert [event.pk for event in operations.claim_due("two")] == [reclassifying.pk]
