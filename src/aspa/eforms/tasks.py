"""The forms' background work: unfinished drafts are purged once a day in `aspa worker`
(aspa/daily.py); `aspa forms purge-drafts` does the same by hand."""

from django.tasks import task

from aspa.daily import schedule_daily
from aspa.eforms import operations

# As long as `aspa forms purge-drafts` keeps a signed-in resident's draft by default.
DRAFT_DAYS = 90


@task
def purge_drafts_daily() -> int:
    try:
        return operations.purge_drafts(days=DRAFT_DAYS)
    finally:
        schedule_daily(purge_drafts_daily, ran_today=True)
