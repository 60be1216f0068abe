"""A day of call events, replayed through the webhook, gives every phone figure exactly as
computed by hand; the same day sent again, or in another order, changes nothing.

By hand (thresholds: short abandon < 5 s, answered within 20 s and 60 s, both inclusive):

Finnish line 9–10: F1 wait 12 talk 300, F2 wait 45 talk 240, F3 wait 90 talk 120, F6 wait 5
talk 360 (transferred), F4 abandoned at 3 s (short), F5 at 40 s (long). Offered 6, answered 4,
within 20 s: F1, F6 = 2; within 60 s: F1, F2, F6 = 3; average wait (12+45+90+5)/4 = 38.0;
90th percentile (nearest rank, ⌈0.9·4⌉ = 4th of 5, 12, 45, 90) = 90.0; handling
(300+240+120+360)/4 = 255.0.
Finnish line 10–11: F7 answered at 20 s (counts within 20), talk 180.
Outside the hours: F8 at 7.30 and F9 at 16.05, counted only apart.
Swedish line 9–10: S1 wait 15 talk 240, S2 wait 60 talk 60, S3 abandoned at 5 s (long: not
under 5). Within 20 s: 1; within 60 s: 2; average wait 37.5; 90th percentile ⌈1.8⌉ = 2nd = 60.0;
handling 150.0."""

import datetime
import random
from decimal import Decimal

import pytest

from aspa.telephony.models import Call, CallEvent
from aspa.telephony.queries import phone_figures
from tests.telephony.conftest import DAY, HELSINKI, the_day

ZERO = {"offered": 0, "answered": 0, "abandoned_short": 0, "abandoned_long": 0, "answered_within": 0,
        "answered_within_long": 0, "transferred": 0, "outside_hours": 0, "average_wait": None,
        "wait_90th_percentile": None, "average_handling_time": None, "callbacks_created": 0,
        "callbacks_completed": 0}

EXPECTED = {
    ("fi", 7): {**ZERO, "outside_hours": 1},
    ("fi", 9): {**ZERO, "offered": 6, "answered": 4, "abandoned_short": 1, "abandoned_long": 1, "answered_within": 2,
                "answered_within_long": 3, "transferred": 1, "average_wait": Decimal("38.0"),
                "wait_90th_percentile": Decimal("90.0"), "average_handling_time": Decimal("255.0")},
    ("fi", 10): {**ZERO, "offered": 1, "answered": 1, "answered_within": 1, "answered_within_long": 1,
                 "average_wait": Decimal("20.0"), "wait_90th_percentile": Decimal("20.0"),
                 "average_handling_time": Decimal("180.0")},
    ("fi", 16): {**ZERO, "outside_hours": 1},
    ("sv", 9): {**ZERO, "offered": 3, "answered": 2, "abandoned_long": 1, "answered_within": 1,
                "answered_within_long": 2, "average_wait": Decimal("37.5"),
                "wait_90th_percentile": Decimal("60.0"), "average_handling_time": Decimal("150.0")},
}


def figures_by_queue_and_hour() -> dict:
    shown = {}
    for row in phone_figures(DAY):
        assert row.hour.tzinfo is not None and row.hour.date() == DAY
        shown[(row.queue, row.hour.hour)] = {name: getattr(row, name) for name in ZERO}
    return shown


def send(cti, events: list[dict], *, batch_size: int = 7):
    for start in range(0, len(events), batch_size):
        response = cti.post("telephony/events", {"events": events[start:start + batch_size]})
        assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_every_figure_of_the_day_is_the_hand_computed_one(cti, settings):
    settings.TIME_ZONE = "Europe/Helsinki"
    send(cti, the_day())

    assert figures_by_queue_and_hour() == EXPECTED


@pytest.mark.django_db
def test_the_same_day_sent_twice_changes_nothing(cti):
    events = the_day()
    send(cti, events)
    calls = list(Call.objects.order_by("pk").values())

    response = cti.post("telephony/events", {"events": events})

    assert response.status_code == 200
    assert response.json() == {"accepted": 0, "duplicates": len(events)}
    assert CallEvent.objects.count() == len(events)
    assert list(Call.objects.order_by("pk").values()) == calls
    assert figures_by_queue_and_hour() == EXPECTED


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["reversed", "shuffled", "one by one, shuffled"])
def test_events_out_of_order_give_the_same_figures(cti, order):
    events = the_day()
    if order == "reversed":
        events.reverse()
    else:
        random.Random(14).shuffle(events)
    send(cti, events, batch_size=1 if order.startswith("one") else 7)

    assert figures_by_queue_and_hour() == EXPECTED
    transferred = Call.objects.get(external_id="F6")
    assert (transferred.outcome, transferred.transfers, transferred.advisor) == ("answered", 1, "neuvoja2")
    assert transferred.answered_at == datetime.datetime(2026, 12, 1, 9, 50, 5, tzinfo=HELSINKI)


@pytest.mark.django_db
def test_the_thresholds_are_configurable(cti, settings):
    settings.TELEPHONY_SHORT_ABANDON_SECONDS = 6
    settings.TELEPHONY_ANSWERED_WITHIN_SECONDS = 15
    settings.TELEPHONY_ANSWERED_WITHIN_LONG_SECONDS = 45
    send(cti, the_day())

    shown = figures_by_queue_and_hour()

    assert [shown[("fi", 9)][name] for name in ("abandoned_short", "answered_within", "answered_within_long")] == [1, 2, 3]
    assert [shown[("sv", 9)][name] for name in ("abandoned_short", "abandoned_long", "answered_within",
                                                 "answered_within_long")] == [1, 0, 1, 1]


@pytest.mark.django_db
def test_a_single_event_is_accepted_and_the_figures_are_served(cti, api):
    response = cti.post("telephony/events", the_day()[0])

    assert response.status_code == 200
    assert response.json() == {"accepted": 1, "duplicates": 0}
    figures = api("supervisor").get("telephony/figures", {"day": DAY.isoformat()})
    assert figures.status_code == 200
    assert [(row["queue"], row["offered"], row["average_wait"]) for row in figures.json()] == [("fi", 1, None)]
