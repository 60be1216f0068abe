"""`aspa worker` purges stale drafts once a day without cron: at its start, then every morning.
Restarting it the same day does not purge again, and a morning missed while it was down is
made up as soon as it is back."""

import datetime
import uuid
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from aspa.eforms.models import Draft
from aspa.eforms.tasks import purge_drafts_daily
from tests.factories.worker import runs, worker_fixture  # noqa: F401 (the fixture)

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
MONDAY_MORNING = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=HELSINKI)


def anonymous_draft(city, saved_at: datetime.datetime) -> Draft:
    with time_machine.travel(saved_at, tick=False):
        return Draft.objects.create(token=uuid.uuid4(), version=city["kuntalaispalaute"].versions.get(),
                                    session_key="selain")


def exists(draft: Draft) -> bool:
    return Draft.objects.filter(pk=draft.pk).exists()


def purges(status: str) -> int:
    return runs(purge_drafts_daily, status)


# The worker closes its database connections between tasks, so the test commits for real.
@pytest.mark.django_db(transaction=True)
def test_drafts_are_purged_at_start_and_each_morning_but_not_again_after_a_restart(city, worker):
    stale = anonymous_draft(city, MONDAY_MORNING - datetime.timedelta(days=3))
    fresh = anonymous_draft(city, MONDAY_MORNING - datetime.timedelta(hours=23))

    with time_machine.travel(MONDAY_MORNING, tick=False):
        worker()
    assert not exists(stale) and exists(fresh)

    # In the afternoon the fresh one is a day old too; restarts the same day leave it be.
    with time_machine.travel(MONDAY_MORNING + datetime.timedelta(hours=5), tick=False):
        worker()
        worker()
    assert exists(fresh)
    assert (purges("SUCCESSFUL"), purges("READY")) == (1, 1)  # one run today, one waits for tomorrow

    with time_machine.travel(datetime.datetime(2026, 3, 10, 5, 1, tzinfo=HELSINKI), tick=False):
        worker()
    assert not exists(fresh)
    assert (purges("SUCCESSFUL"), purges("READY")) == (2, 1)


@pytest.mark.django_db(transaction=True)
def test_mornings_missed_while_the_worker_was_down_are_made_up_once(city, worker):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        worker()
    stale = anonymous_draft(city, MONDAY_MORNING)

    # Down from Monday to Thursday noon: one purge when it is back, the next on Friday morning.
    thursday = datetime.datetime(2026, 3, 12, 12, 0, tzinfo=HELSINKI)
    with time_machine.travel(thursday, tick=False):
        worker()
        assert not exists(stale)
        stale_again = anonymous_draft(city, thursday - datetime.timedelta(days=2))
        worker()
    assert exists(stale_again)
    assert (purges("SUCCESSFUL"), purges("READY")) == (2, 1)
    with time_machine.travel(datetime.datetime(2026, 3, 13, 5, 0, tzinfo=HELSINKI), tick=False):
        worker()
    assert not exists(stale_again)


@pytest.mark.django_db(transaction=True)
def test_a_cleared_queue_does_not_bring_a_second_purge_the_same_day(city, worker):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        worker()
    DBTaskResult.objects.filter(status="READY").delete()  # an administrator emptied the queue
    stale = anonymous_draft(city, MONDAY_MORNING - datetime.timedelta(days=2))
    with time_machine.travel(MONDAY_MORNING + datetime.timedelta(hours=1), tick=False):
        worker()
    assert exists(stale)
    assert (purges("SUCCESSFUL"), purges("READY")) == (1, 1)


def test_with_inline_tasks_nothing_is_queued_and_cron_can_run_the_command(city, capsys):
    from aspa.daily import schedule_daily

    assert not schedule_daily(purge_drafts_daily)
    call_command("forms", "purge-drafts")
    assert "0 drafts deleted." in capsys.readouterr().out
