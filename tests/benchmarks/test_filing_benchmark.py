"""The filing benchmark's measuring parts, on the test database: the pgbench reference inserts
rows as wide as the request table's into a scratch table and drops it afterwards; the outbox
watch sees how long the oldest pending event has waited and how long the outbox takes to empty.
PostgreSQL only, like the benchmark."""

import datetime
import shutil

import pytest
from django.db import connection
from django.utils import timezone

from tests.benchmarks.conftest import postgresql_only

# pgbench and the outbox watch read what the test committed, from other connections.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def filing(benchmarks_on_path):
    import filing

    return filing


@postgresql_only
@committed
def test_pgbench_reference_inserts_rows_of_the_request_tables_width(filing, tmp_path):
    if not shutil.which("pgbench"):
        pytest.skip("pgbench is not installed (Debian: postgresql-client)")
    database = connection.settings_dict
    url = (f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
           f"{database['PORT'] or 5432}/{database['NAME']}")
    reference = filing.InsertReference(url, clients=2, seconds=1, folder=tmp_path)
    reference.prepare()
    found = reference.measure("round-1")
    reference.drop()

    assert found["count"] > 0
    assert found["per_second"] > 0
    assert found["errors"] == 0
    assert 0 < found["p50_ms"] <= found["p95_ms"] <= found["p99_ms"]
    # An empty request table gives the default width: the fixed columns and some padding.
    assert reference.row_width >= 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [filing.SCRATCH_TABLE])
        assert cursor.fetchone()[0] is None


@postgresql_only
@committed
def test_outbox_watch_reports_the_oldest_pending_event_and_the_time_to_empty(filing):
    model = filing.outbox_model()
    if model is None:
        pytest.skip("this Aspa has no outbox")
    since = timezone.now() - datetime.timedelta(seconds=10)
    created = timezone.now() - datetime.timedelta(seconds=3)
    model.objects.create(type="aspa.request.filed", aggregate_type="request", aggregate_id="1", sequence=1,
                         created_at=created, done_at=timezone.now())
    waiting = model.objects.create(type="aspa.request.filed", aggregate_type="request", aggregate_id="2",
                                   sequence=1, created_at=created, next_attempt_at=created)
    watch = filing.OutboxWatch(model, since)

    count, age = watch.oldest_pending()
    assert count == 1
    assert 3 <= age < 60

    model.objects.filter(pk=waiting.pk).update(done_at=timezone.now(), next_attempt_at=None)
    drained = watch.stop_and_drain(timeout=5)
    assert drained["empty_after_s"] == 0.0
    assert drained["left_pending"] == 0
    assert drained["given_up"] == 0


def test_ratios_are_summarised_as_their_geometric_mean(filing):
    assert filing.geometric_mean([0.01, 0.04]) == pytest.approx(0.02)
    assert filing.geometric_mean([]) is None
