"""Reads of the outbox: the feed integrations read, and what `/healthz` asks."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, Exists, Max, Min, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.errors import InvalidInput
from aspa.identity.access import require_role
from aspa.identity.models import Role, User
from aspa.outbox.models import OutboxEvent, WorkerHeartbeat

# Who may read the feed: integrations and the staff who look after them.
FEED_READERS = (Role.INTEGRATION, Role.ADMIN, Role.SUPERVISOR)


def feed_for(user: User, *, after: str | None, limit: int) -> list[OutboxEvent]:
    """Published events after the position (or the event id) `after`, oldest first."""
    require_role(user, FEED_READERS)
    position = position_of(after)
    return list(OutboxEvent.objects.filter(feed_position__gt=position).order_by("feed_position")[:limit])


def position_of(after: str | None) -> int:
    if after is None or after == "":
        return 0
    text = after.strip()
    if text.isascii() and text.isdecimal() and len(text) < 19:
        return int(text)
    try:
        event_id = uuid.UUID(text)
    except ValueError:
        raise InvalidInput({"after": [_("Give a feed position or an event id.")]}) from None
    found = OutboxEvent.objects.filter(event_id=event_id, feed_position__isnull=False).values_list(
        "feed_position", flat=True).first()
    if found is None:
        raise InvalidInput({"after": [_("No published event with this id.")]})
    return found


def step_pending(aggregate_type: str, aggregate_id: int | str, types: tuple[str, ...], step: str) -> bool:
    """True while an event of the aggregate waits for `step` (and has not been given up)."""
    return _waiting_for(types, step).filter(aggregate_type=aggregate_type, aggregate_id=str(aggregate_id)).exists()


def step_pending_of(aggregate_type: str, types: tuple[str, ...], step: str) -> Exists:
    """The same as a subquery on a queryset of the aggregate's model (its pk), for lists."""
    return Exists(_waiting_for(types, step).filter(
        aggregate_type=aggregate_type, aggregate_id=Cast(OuterRef("pk"), output_field=CharField())))


def _waiting_for(types: tuple[str, ...], step: str) -> QuerySet[OutboxEvent]:
    return (OutboxEvent.objects.filter(type__in=types, done_at__isnull=True, failed_at__isnull=True)
            .exclude(steps__step=step))


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str = ""


def readiness(now: datetime.datetime | None = None) -> Readiness:
    """Not ready when the worker has stopped beating or the outbox lags. Where no worker has
    ever beaten (tasks inline, or a server started without one) only the lag is judged: events
    that nobody runs show there soon enough."""
    now = now or timezone.now()
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("beat_at"))["newest"]
    stale_after = settings.HEALTH_WORKER_STALE_SECONDS
    if newest is not None and (now - newest).total_seconds() > stale_after:
        return Readiness(False, f"the worker's last heartbeat was {(now - newest).total_seconds():.0f} s ago "
                                f"(more than {stale_after} s)")
    oldest = OutboxEvent.objects.filter(next_attempt_at__isnull=False).aggregate(oldest=Min("created_at"))["oldest"]
    lag_limit = settings.HEALTH_OUTBOX_LAG_SECONDS
    if oldest is not None and (now - oldest).total_seconds() > lag_limit:
        return Readiness(False, f"the oldest pending outbox event is {(now - oldest).total_seconds():.0f} s old "
                                f"(more than {lag_limit} s)")
    return Readiness(True)
