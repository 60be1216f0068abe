"""Working days: weekdays that are not Finnish public holidays.

Service-level targets are promised in working days, so a request filed just before
Christmas or Midsummer is not late because the office was closed."""

import datetime
from functools import lru_cache

import holidays

DEFAULT_TARGET_DAYS = 10


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    # Christmas Eve and Midsummer Eve are in the library's list: offices are closed on them.
    return frozenset(holidays.Finland(years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted).

    With 0 days the answer is `start` if it is a working day, else the next one."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while not is_working_day(day) and days == 0:
        day += datetime.timedelta(days=1)
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days fall after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def due_date_for(filed_on: datetime.date, service=None) -> datetime.date:
    """The service-level due date: the service's target in working days after filing."""
    target = service.target_days if service is not None else DEFAULT_TARGET_DAYS
    return add_working_days(filed_on, target)
