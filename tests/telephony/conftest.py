"""A day of the pilot's phone service (Tuesday 1 December 2026, Finnish time) as the
contact-centre system sends it, two lines open Monday to Friday 9–16, and an integration's client."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from aspa.identity.models import Role
from aspa.telephony.models import PhoneQueue

HELSINKI = ZoneInfo("Europe/Helsinki")
DAY = datetime.date(2026, 12, 1)


def at(clock: str) -> str:
    """An ISO time of the day from "09:10:45", Finnish time with its offset."""
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(DAY, datetime.time(hours, minutes, seconds), tzinfo=HELSINKI).isoformat()


def event(call: str, kind: str, clock: str, **fields) -> dict:
    return {"system": "orange", "event_id": f"{call}-{kind}-{clock}", "call_id": call, "type": kind,
            "occurred_at": at(clock), **fields}


def answered_call(call: str, queue: str, offered: str, answered: str, ended: str, **extra) -> list[dict]:
    return [event(call, "offered", offered, queue=queue, caller="+358401110000"),
            event(call, "queued", offered, queue=queue),
            event(call, "answered", answered, advisor="neuvoja1"),
            event(call, "ended", ended, **extra)]


def abandoned_call(call: str, queue: str, offered: str, abandoned: str) -> list[dict]:
    return [event(call, "offered", offered, queue=queue, caller="+358401110000"),
            event(call, "abandoned", abandoned)]


def the_day() -> list[dict]:
    """The day's events in the order they happened (see test_a_replayed_day_gives_the_figures)."""
    return [
        # the Finnish line, 9–10
        *answered_call("F1", "fi", "09:00:00", "09:00:12", "09:05:12", recording_reference="rec://orange/F1"),
        *answered_call("F2", "fi", "09:10:00", "09:10:45", "09:14:45"),
        *answered_call("F3", "fi", "09:20:00", "09:21:30", "09:23:30"),
        *abandoned_call("F4", "fi", "09:30:00", "09:30:03"),
        *abandoned_call("F5", "fi", "09:40:00", "09:40:40"),
        event("F6", "offered", "09:50:00", queue="fi", caller="+358401110000"),
        event("F6", "answered", "09:50:05", advisor="neuvoja2"),
        event("F6", "transferred", "09:52:00", to_queue="sv"),
        event("F6", "ended", "09:56:05"),
        # the Finnish line, 10–11: answered at exactly 20 s
        *answered_call("F7", "fi", "10:15:00", "10:15:20", "10:18:20"),
        # outside the opening hours: before nine and after four
        *abandoned_call("F8", "fi", "07:30:00", "07:30:10"),
        *answered_call("F9", "fi", "16:05:00", "16:05:10", "16:06:10"),
        # the Swedish line, 9–10: answered at exactly 60 s, abandoned at exactly the 5 s threshold
        *answered_call("S1", "sv", "09:05:00", "09:05:15", "09:09:15"),
        *answered_call("S2", "sv", "09:25:00", "09:26:00", "09:27:00"),
        *abandoned_call("S3", "sv", "09:45:00", "09:45:05"),
    ]


@pytest.fixture
def queues(db):
    return {
        "fi": PhoneQueue.objects.create(code="fi", name="Neuvonta", language="fi"),
        "sv": PhoneQueue.objects.create(code="sv", name="Rådgivning", language="sv"),
    }


@pytest.fixture
def cti(api, queues):
    """The contact-centre system, calling with an integration token."""
    return api(Role.INTEGRATION)
