"""Due dates are promised in working days: weekends and Finnish public holidays do not count."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aspa.requests.workdays import (
    add_working_days,
    due_date_for,
    is_working_day,
    working_days_between,
)

dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))
day_counts = st.integers(min_value=0, max_value=60)


@pytest.mark.parametrize("start,days,expected", [
    # Christmas Eve, Christmas Day, Boxing Day (a Saturday) and Sunday are skipped.
    (datetime.date(2026, 12, 23), 2, datetime.date(2026, 12, 29)),
    # Friday + 1 is Monday.
    (datetime.date(2026, 3, 13), 1, datetime.date(2026, 3, 16)),
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April are holidays.
    (datetime.date(2026, 4, 2), 1, datetime.date(2026, 4, 7)),
    # Midsummer Eve 19 June 2026 is a Friday off.
    (datetime.date(2026, 6, 18), 1, datetime.date(2026, 6, 22)),
    # New Year and Epiphany (Tuesday 6 January 2026).
    (datetime.date(2025, 12, 31), 3, datetime.date(2026, 1, 7)),
    (datetime.date(2026, 3, 2), 10, datetime.date(2026, 3, 16)),
    # Zero days from a Saturday is the next working day.
    (datetime.date(2026, 3, 14), 0, datetime.date(2026, 3, 16)),
])
def test_known_dates(start, days, expected):
    assert add_working_days(start, days) == expected


def test_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 12, 6))   # Independence Day
    assert not is_working_day(datetime.date(2026, 5, 1))    # May Day
    assert not is_working_day(datetime.date(2026, 5, 14))   # Ascension Day
    assert not is_working_day(datetime.date(2026, 3, 14))   # Saturday
    assert is_working_day(datetime.date(2026, 12, 23))


def test_due_date_uses_the_services_target_or_ten_days_without_one(catalogue):
    filed = datetime.date(2026, 3, 2)  # a Monday
    assert due_date_for(filed, catalogue.advice) == datetime.date(2026, 3, 9)    # 5 days
    assert due_date_for(filed, None) == datetime.date(2026, 3, 16)               # 10 days


@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_due_date_is_never_a_weekend_or_holiday(start, days):
    assert is_working_day(add_working_days(start, days))


@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_counting_back_gives_the_days_added(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@given(start=dates, days=day_counts, more=st.integers(min_value=1, max_value=20))
def test_more_days_give_a_later_date(start, days, more):
    # Zero days from a holiday already rolls forward to the next working day, so from 0 it is <=.
    earlier, later = add_working_days(start, days), add_working_days(start, days + more)
    assert earlier < later if days else earlier <= later


@given(first=dates, second=dates, days=day_counts)
def test_a_later_filing_is_never_due_earlier(first, second, days):
    early, late = sorted([first, second])
    assert add_working_days(early, days) <= add_working_days(late, days)


@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_due_date_is_after_filing_and_within_reason(start, days):
    due = add_working_days(start, days)
    assert start < due
    # Never more than two holiday-rich weeks beyond the calendar days a five-day week needs.
    assert (due - start).days <= days * 7 // 5 + 14


@given(start=dates, middle=st.integers(min_value=1, max_value=30), rest=day_counts)
def test_adding_in_two_steps_is_adding_once(start, middle, rest):
    # This is what extending a due date by the days spent waiting relies on.
    first = add_working_days(start, middle)
    assert add_working_days(first, rest) == add_working_days(start, middle + rest)
