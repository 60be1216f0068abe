"""Telephony's background work: expired recording references are purged once a day in
`aspa worker` (aspa/daily.py); `aspa telephony purge-recordings` does the same by hand."""

from django.tasks import task

from aspa.daily import schedule_daily
from aspa.telephony import operations


@task
def purge_recordings_daily() -> int:
    try:
        return len(operations.purge_expired_recordings())
    finally:
        schedule_daily(purge_recordings_daily, ran_today=True)
