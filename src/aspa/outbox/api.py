"""/api/v1/events: the published domain events as a feed of CloudEvents (JSON format, 1.0),
for integrations that poll. Read forward with `?after=<next_after of the last page>`."""

import datetime
from typing import Annotated, Any

from django.conf import settings
from ninja import Field, Query, Router, Schema

from aspa.error_schema import ErrorOut
from aspa.outbox import queries
from aspa.outbox.models import OutboxEvent

router = Router(tags=["events"])

MAX_LIMIT = 500


class CloudEvent(Schema):
    specversion: str = Field(..., description="Always 1.0.")
    id: str = Field(..., description="The event's stable id (a UUID): the same on every read and every retry.")
    source: str
    type: str = Field(..., description="aspa.request.filed, aspa.request.classified.")
    subject: str = Field(..., description="The aggregate, e.g. requests/42.")
    time: datetime.datetime
    datacontenttype: str
    sequence: str = Field(..., description="The position in this feed.")
    aggregatetype: str
    aggregateid: str
    aggregatesequence: int = Field(..., description="1, 2, 3 … per aggregate, in the order of its changes.")
    data: dict[str, Any]


class Feed(Schema):
    events: list[CloudEvent]
    next_after: int = Field(..., description="Pass as `after` to read on; the same when nothing is new.")


def _cloud_event(event: OutboxEvent) -> dict:
    return {
        "specversion": "1.0", "id": str(event.event_id), "source": f"{settings.SITE_URL}/api/v1",
        "type": event.type, "subject": f"{event.aggregate_type}s/{event.aggregate_id}", "time": event.created_at,
        "datacontenttype": "application/json", "sequence": str(event.feed_position),
        "aggregatetype": event.aggregate_type, "aggregateid": event.aggregate_id,
        "aggregatesequence": event.sequence, "data": event.payload,
    }


@router.get("", response={200: Feed, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Published events after a position (integrations, supervisors and administrators)")
def events(request, after: str | None = None,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100):
    found = queries.feed_for(request.auth, after=after, limit=limit)
    next_after = found[-1].feed_position if found else queries.position_of(after)
    return {"events": [_cloud_event(event) for event in found], "next_after": next_after}
