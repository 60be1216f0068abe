import sys
from pathlib import Path

import pytest
from django.conf import settings

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

# The benchmarks write with COPY, run pgbench and read PostgreSQL's catalogue.
postgresql_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the benchmark tools work on PostgreSQL only: run with a PostgreSQL DATABASE_URL")


@pytest.fixture
def benchmarks_on_path():
    """benchmarks/ on sys.path, as when its scripts run: they import their helpers by file name."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield
    finally:
        sys.path.remove(str(BENCHMARKS))
