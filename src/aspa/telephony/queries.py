"""Reads of telephony: the phone figures per queue and hour, computed from the calls that the
events built (docs/telephony.md, "The figures")."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from aspa.telephony.models import Call, PhoneQueue

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Thresholds:
    """Seconds: an abandoned call waited less than `short_abandon` is a short abandon; a call
    answered after at most `answered_within` / `answered_within_long` seconds counts in those."""

    short_abandon: int
    answered_within: int
    answered_within_long: int

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(short_abandon=settings.TELEPHONY_SHORT_ABANDON_SECONDS,
                   answered_within=settings.TELEPHONY_ANSWERED_WITHIN_SECONDS,
                   answered_within_long=settings.TELEPHONY_ANSWERED_WITHIN_LONG_SECONDS)


@dataclass
class HourFigures:
    """One queue's figures for one hour of the city's time (the hour the call was offered in)."""

    queue: str
    hour: datetime.datetime
    offered: int = 0
    answered: int = 0
    abandoned_short: int = 0
    abandoned_long: int = 0
    answered_within: int = 0
    answered_within_long: int = 0
    transferred: int = 0
    outside_hours: int = 0
    # Callbacks come with a later increment of issue 14; until then they are zero.
    callbacks_created: int = 0
    callbacks_completed: int = 0
    waits: list[Decimal] = field(default_factory=list, repr=False)
    talks: list[Decimal] = field(default_factory=list, repr=False)

    @property
    def average_wait(self) -> Decimal | None:
        """Seconds from offered to answered, over the answered calls (to a tenth of a second)."""
        return _average(self.waits)

    @property
    def wait_90th_percentile(self) -> Decimal | None:
        """The nearest-rank 90th percentile of the answered calls' waits: the smallest wait that
        at least 90 % of them did not exceed."""
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        return ordered[math.ceil(Decimal("0.9") * len(ordered)) - 1].quantize(TENTH)

    @property
    def average_handling_time(self) -> Decimal | None:
        """Seconds from answered to ended, over the answered calls that have ended."""
        return _average(self.talks)


def _average(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(TENTH) if values else None


def _seconds(duration: datetime.timedelta) -> Decimal:
    return Decimal(duration // datetime.timedelta(microseconds=1)) / 1_000_000


def phone_figures(day: datetime.date, *, thresholds: Thresholds | None = None) -> list[HourFigures]:
    """The figures of every queue for every hour of the day (the city's time) in which a call was
    offered, ordered by queue and hour. A call offered outside its queue's opening hours counts
    only in `outside_hours`; a call still waiting counts only in `offered`."""
    thresholds = thresholds or Thresholds.from_settings()
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone)
    calls = Call.objects.filter(offered_at__gte=start, offered_at__lt=end, queue__isnull=False).select_related("queue")
    figures: dict[tuple[str, datetime.datetime], HourFigures] = {}
    for call in calls.order_by("offered_at", "pk"):
        assert call.queue is not None and call.offered_at is not None  # by the filter
        local = timezone.localtime(call.offered_at, zone)
        hour = local.replace(minute=0, second=0, microsecond=0)
        row = figures.setdefault((call.queue.code, hour), HourFigures(queue=call.queue.code, hour=hour))
        _count(row, call, call.queue, local, thresholds)
    return [figures[key] for key in sorted(figures)]


def _count(row: HourFigures, call: Call, queue: PhoneQueue, local: datetime.datetime, thresholds: Thresholds) -> None:
    if not queue.is_open_at(local):
        row.outside_hours += 1
        return
    row.offered += 1
    row.transferred += 1 if call.transfers else 0
    wait = call.wait
    if wait is None:
        return
    seconds = _seconds(wait)
    if call.outcome == Call.Outcome.ANSWERED:
        row.answered += 1
        row.waits.append(seconds)
        row.answered_within += 1 if seconds <= thresholds.answered_within else 0
        row.answered_within_long += 1 if seconds <= thresholds.answered_within_long else 0
        if call.talk is not None:
            row.talks.append(_seconds(call.talk))
    elif seconds < thresholds.short_abandon:
        row.abandoned_short += 1
    else:
        row.abandoned_long += 1


def calls_of_party(party_id: int):
    """The customer's calls for their contact history, newest first."""
    return Call.objects.filter(party_id=party_id).select_related("queue")
