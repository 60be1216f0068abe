"""/api/v1/telephony: the contact-centre system's call events (its webhook) and the phone
figures. The events are for an integration token only; the figures for supervisors too."""

import datetime
import json
from decimal import Decimal
from typing import Literal

import pydantic
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from aspa.api.auth import AuthenticatedRequest
from aspa.error_schema import ErrorOut
from aspa.identity.access import require_role
from aspa.identity.models import Role
from aspa.telephony import operations, queries

router = Router(tags=["telephony"])

SENDERS = (Role.INTEGRATION,)
FIGURE_READERS = (Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION)
MOST_EVENTS = 1000


class CallEventIn(Schema):
    model_config = pydantic.ConfigDict(extra="ignore")

    system: str = Field("cti", min_length=1, max_length=40, description="The sending system; ids are unique per system.")
    event_id: str = Field(..., min_length=1, max_length=100, description="Unique per system: a repeated id changes nothing.")
    call_id: str = Field(..., min_length=1, max_length=100, description="The system's id of the call.")
    type: Literal["offered", "queued", "answered", "transferred", "ended", "abandoned"]
    occurred_at: datetime.datetime = Field(..., description="ISO 8601; a time without a zone is Finnish time.")
    queue: str = Field("", max_length=40, description="The queue's code; required when offered.")
    caller: str = Field("", max_length=40, description="The caller's number in any format; empty when withheld.")
    advisor: str = Field("", max_length=100, description="Who answered (answered).")
    to_queue: str = Field("", max_length=40, description="The queue the call went to (transferred).")
    recording_reference: str = Field("", max_length=300, description="Where the recording is (usually ended).")


class ReceivedOut(Schema):
    accepted: int = Field(description="Events stored now.")
    duplicates: int = Field(description="Events already stored before (the same system and event id): unchanged.")


_EVENT_SCHEMA = CallEventIn.model_json_schema()
_BODY = {"content": {"application/json": {"schema": {"oneOf": [
    _EVENT_SCHEMA,
    {"type": "object", "required": ["events"],
     "properties": {"events": {"type": "array", "maxItems": MOST_EVENTS, "items": _EVENT_SCHEMA}}},
]}}}, "required": True}


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _parse(body: bytes) -> tuple[list[operations.EventData], str]:
    """The events of a body that is one event or {"events": [...]}, with the prefix that names a
    field of a batch's event (`events.3.`); the API's 422 with every wrong field otherwise."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError([{"loc": ("body",), "type": "json_invalid"}]) from None
    if _has_nul(data):
        raise ValidationError([{"loc": ("body",), "type": "string_nul"}])
    batch = isinstance(data, dict) and "events" in data
    items = data["events"] if batch else [data]
    if not isinstance(items, list) or not items or len(items) > MOST_EVENTS:
        raise ValidationError([{"loc": ("events",) if batch else ("body",), "type": "value_error"}])
    events: list[operations.EventData] = []
    problems: list[dict] = []
    for index, item in enumerate(items):
        where = ("events", index) if batch else ()
        try:
            event = CallEventIn.model_validate(item)
        except pydantic.ValidationError as invalid:
            problems.extend({"loc": (*where, *problem["loc"]) or ("body",), "type": problem["type"]}
                            for problem in invalid.errors())
            continue
        events.append(operations.EventData(
            system=event.system, event_id=event.event_id, call_id=event.call_id, kind=event.type,
            occurred_at=event.occurred_at, queue=event.queue, caller=event.caller, advisor=event.advisor,
            to_queue=event.to_queue, recording_reference=event.recording_reference,
            payload=event.model_dump(mode="json")))
    if problems:
        raise ValidationError(problems)
    return events, "events." if batch else ""


@router.post("/events", response={200: ReceivedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
             openapi_extra={"requestBody": _BODY}, summary="Call events from the contact-centre system")
def receive_events(request: AuthenticatedRequest):
    """One event, or `{"events": [...]}` up to 1000. A batch is stored whole or not at all; an
    event already stored (the same `system` and `event_id`) changes nothing, so a day's events
    may be sent again, and in any order (docs/telephony.md)."""
    require_role(request.auth, SENDERS)
    events, prefix = _parse(request.body)
    received = operations.receive_call_events(events, field_prefix=prefix)
    return {"accepted": received.accepted, "duplicates": received.duplicates}


class HourFiguresOut(Schema):
    queue: str
    hour: datetime.datetime
    offered: int
    answered: int
    abandoned_short: int
    abandoned_long: int
    answered_within: int = Field(description="Answered within ASPA_TELEPHONY_ANSWERED_WITHIN_SECONDS (20 s).")
    answered_within_long: int = Field(description="Answered within ASPA_TELEPHONY_ANSWERED_WITHIN_LONG_SECONDS (60 s).")
    transferred: int
    outside_hours: int
    average_wait: Decimal | None
    wait_90th_percentile: Decimal | None
    average_handling_time: Decimal | None
    callbacks_created: int
    callbacks_completed: int


class FiguresQuery(Schema):
    day: datetime.date = Field(..., description="The day in the city's time, YYYY-MM-DD.")


@router.get("/figures", response={200: list[HourFiguresOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="The phone figures of a day per queue and hour")
def figures(request: AuthenticatedRequest, filters: Query[FiguresQuery]):
    """Every queue's figures for each hour of the day in which a call was offered."""
    require_role(request.auth, FIGURE_READERS)
    return queries.phone_figures(filters.day)
