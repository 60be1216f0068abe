"""Writes of telephony: the contact-centre system's call events and the purge of expired
recording references.

Each event is stored once per (system, event id); its call is then rebuilt from all of the
call's stored events, so events that come late, out of order or twice give the same call."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.customers.queries import party_with_phone
from aspa.customers.validation import normalise_phone
from aspa.errors import InvalidInput
from aspa.telephony.models import Call, CallEvent, PhoneQueue

logger = logging.getLogger(__name__)

# When two events of a call carry the same moment, the one that comes first in a call's life wins.
LIFE_ORDER = {kind: position for position, kind in enumerate(
    ["offered", "queued", "answered", "transferred", "abandoned", "ended"])}


@dataclass(frozen=True)
class EventData:
    """A call event as the webhook received it (docs/telephony.md)."""

    system: str
    event_id: str
    call_id: str
    kind: str
    occurred_at: datetime.datetime
    queue: str = ""
    caller: str = ""
    advisor: str = ""
    to_queue: str = ""
    recording_reference: str = ""
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    accepted: int
    duplicates: int


def _checked(events: list[EventData], *, field_prefix: str) -> list[tuple[EventData, str, PhoneQueue | None]]:
    """Each event with its caller's number in E.164 and its queue, or InvalidInput naming every
    field of every event that is wrong (`events.3.queue` in a batch)."""
    codes = {code for event in events for code in (event.queue, event.to_queue) if code}
    queues = {queue.code: queue for queue in PhoneQueue.objects.filter(code__in=codes)}
    errors: dict[str, list[str]] = {}
    checked = []
    for index, event in enumerate(events):
        prefix = f"{field_prefix}{index}." if field_prefix else ""
        if event.kind == CallEvent.Kind.OFFERED and not event.queue:
            errors.setdefault(f"{prefix}queue", []).append(_("An offered call names its queue."))
        for name, code in (("queue", event.queue), ("to_queue", event.to_queue)):
            if code and code not in queues:
                errors.setdefault(f"{prefix}{name}", []).append(_("There is no phone queue with this code."))
        caller = ""
        if event.caller:
            try:
                caller = normalise_phone(event.caller, f"{prefix}caller")
            except InvalidInput as invalid:
                for name, messages in invalid.fields.items():
                    errors.setdefault(name, []).extend(messages)
        if timezone.is_naive(event.occurred_at):
            # A time without a zone is the city's time, as elsewhere in the API.
            event = _with_time(event, timezone.make_aware(event.occurred_at))
        checked.append((event, caller, queues.get(event.queue)))
    if errors:
        raise InvalidInput(errors)
    return checked


def _with_time(event: EventData, occurred_at: datetime.datetime) -> EventData:
    values = {name: getattr(event, name) for name in EventData.__dataclass_fields__}
    values["occurred_at"] = occurred_at
    return EventData(**values)


def receive_call_events(events: list[EventData], *, field_prefix: str = "") -> Received:
    """Stores the events that are new and rebuilds their calls, in one transaction: a batch with
    one wrong event stores nothing. An event already stored (the same system and event id) is
    counted as a duplicate and changes nothing, even when its content differs."""
    checked = _checked(events, field_prefix=field_prefix)
    accepted = duplicates = 0
    with transaction.atomic():
        changed: dict[int, Call] = {}
        for event, caller, _queue in checked:
            if CallEvent.objects.filter(system=event.system, event_id=event.event_id).exists():
                duplicates += 1
                continue
            call, _created = Call.objects.get_or_create(system=event.system, external_id=event.call_id)
            payload = dict(event.payload)
            if caller:
                payload["caller"] = caller  # kept normalised, so that rebuilding need not parse again
            try:
                with transaction.atomic():  # a concurrent delivery of the same event stores it once
                    CallEvent.objects.create(system=event.system, event_id=event.event_id, call=call,
                                             kind=event.kind, occurred_at=event.occurred_at, payload=payload)
            except IntegrityError:
                duplicates += 1
                continue
            accepted += 1
            changed[call.pk] = call
        queues = {queue.code: queue for queue in PhoneQueue.objects.all()}
        for call in Call.objects.select_for_update().filter(pk__in=sorted(changed)).order_by("pk"):
            _rebuild(call, queues)
    return Received(accepted=accepted, duplicates=duplicates)


def _rebuild(call: Call, queues: dict[str, PhoneQueue]) -> None:
    """The call as all of its stored events describe it, whatever the order they arrived in."""
    events = sorted(call.events.all(), key=lambda event: (event.occurred_at, LIFE_ORDER[event.kind], event.pk))
    first: dict[str, CallEvent] = {}
    for event in events:
        first.setdefault(event.kind, event)
    offered, answered = first.get("offered"), first.get("answered")
    ended = first.get("ended") or first.get("abandoned")
    if offered:
        call.offered_at = offered.occurred_at
        call.queue = queues.get(offered.payload.get("queue", ""))
        caller = offered.payload.get("caller", "")
        if caller != call.caller or (caller and call.party_id is None):
            call.caller = caller
            party = party_with_phone(caller) if caller else None
            call.party_id = party.pk if party else None
    call.answered_at = answered.occurred_at if answered else None
    call.advisor = answered.payload.get("advisor", "") if answered else ""
    call.ended_at = ended.occurred_at if ended else None
    if answered:
        call.outcome = Call.Outcome.ANSWERED
    elif ended:
        call.outcome = Call.Outcome.ABANDONED
    else:
        call.outcome = Call.Outcome.WAITING
    call.transfers = sum(1 for event in events if event.kind == CallEvent.Kind.TRANSFERRED)
    references = [event for event in events if event.payload.get("recording_reference")]
    if references and call.recording_purged_at is None:
        call.recording_reference = references[-1].payload["recording_reference"]
        days = settings.TELEPHONY_RECORDING_RETENTION_DAYS
        kept_from = timezone.localdate(call.ended_at or references[-1].occurred_at)
        call.recording_retained_until = kept_from + datetime.timedelta(days=days)
    call.save()


def purge_expired_recordings(*, today: datetime.date | None = None) -> list[Call]:
    """Forgets the recording references whose retention date has passed (the recordings live in
    the contact-centre system; Aspa keeps only where they are). Each purge is logged."""
    today = today or timezone.localdate()
    purged = []
    with transaction.atomic():
        expired = Call.objects.select_for_update().filter(
            recording_retained_until__lt=today, recording_purged_at__isnull=True).exclude(recording_reference="")
        now = timezone.now()
        for call in expired.order_by("pk"):
            logger.info("Purged the recording reference of call %s (kept until %s): %s", call,
                        call.recording_retained_until, call.recording_reference)
            call.recording_reference = ""
            call.recording_purged_at = now
            call.save(update_fields=["recording_reference", "recording_purged_at"])
            purged.append(call)
    return purged
