"""Request numbers: PREFIX-YEAR-NNNNNN, sequential per year, never shared."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from aspa.identity.models import Role
from aspa.requests.models import RequestCounter, ServiceRequest
from tests.factories.identity import UserFactory
from tests.factories.requests import file


def test_numbers_are_sequential_within_the_year(advisor):
    year = timezone.localdate().year
    numbers = [file(advisor).number for _ in range(3)]
    assert numbers == [f"ESI-{year}-000001", f"ESI-{year}-000002", f"ESI-{year}-000003"]


def test_prefix_comes_from_settings(advisor, settings):
    settings.REQUEST_NUMBER_PREFIX = "OULU"
    assert file(advisor).number.startswith("OULU-")


def test_each_year_starts_from_one(advisor, monkeypatch):
    file(advisor)
    next_year = timezone.now().replace(year=timezone.now().year + 1, month=6, day=15)
    monkeypatch.setattr("django.utils.timezone.now", lambda: next_year)
    assert file(advisor).number == f"ESI-{next_year.year}-000001"


def test_counter_continues_from_where_it_was(advisor):
    RequestCounter.objects.create(year=timezone.localdate().year, last=122)
    assert file(advisor).number.endswith("-000123")


def test_a_failed_filing_does_not_use_up_a_number(advisor):
    from aspa.errors import InvalidInput

    with pytest.raises(InvalidInput):
        file(advisor, description="")
    assert file(advisor).number.endswith("-000001")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
def test_concurrent_filings_never_share_a_number():
    from tests.factories.catalogue import make_catalogue

    make_catalogue()
    advisors = [UserFactory(role=Role.ADVISOR) for _ in range(6)]
    start = threading.Barrier(len(advisors))
    numbers, errors = [], []

    def file_one(advisor):
        try:
            start.wait()
            numbers.append(file(advisor).number)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_one, args=(advisor,)) for advisor in advisors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    year = timezone.localdate().year
    assert sorted(numbers) == [f"ESI-{year}-{n:06d}" for n in range(1, 7)]
    assert ServiceRequest.objects.count() == 6
