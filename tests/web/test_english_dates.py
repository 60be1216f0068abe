"""English pages write dates day first, so 10 November is never read as 11 October."""

import datetime

from django.utils import translation
from django.utils.formats import date_format


def test_english_short_dates_put_the_day_first():
    with translation.override("en"):
        assert date_format(datetime.date(2026, 11, 10), "SHORT_DATE_FORMAT") == "10 Nov 2026"
        assert date_format(datetime.date(2026, 11, 10)) == "10 November 2026"


def test_finnish_dates_keep_their_own_format():
    with translation.override("fi"):
        assert date_format(datetime.date(2026, 11, 10), "SHORT_DATE_FORMAT") == "10.11.2026"
