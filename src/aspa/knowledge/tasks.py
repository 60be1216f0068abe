"""The knowledge base's background work: owners are reminded of due reviews once a day in
`aspa worker` (aspa/daily.py); `aspa kb remind` does the same by hand."""

from django.tasks import task

from aspa.daily import schedule_daily
from aspa.knowledge import operations


@task
def remind_reviewers_daily() -> int:
    try:
        return operations.remind_reviewers()
    finally:
        schedule_daily(remind_reviewers_daily, ran_today=True)
