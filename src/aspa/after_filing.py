"""What happens after a request is filed or reclassified: one pipeline, in this order.

Filed (`aspa.request.filed`):

1. **route**: the DMN rules and, for a request nobody classified, a confident suggestion of the
   classifier decide its service, department, team, priority and due date
   (`routing.operations.route_request`). Skipped when staff have changed the request since it
   was filed (a desk that files and forwards at once): their decision stands.
2. **start_process**: the BPMN process of the service the request has *now*, the one routing
   chose included (`processes.operations.start_or_note_failure`; a broken process is written
   into the history and the request is handled by hand).
3. **receipt**: the customer's receipt, when the filing asked for one (a resident filing
   themselves), naming the routed service (`requests.notifications.received`).
4. **notify_staff**: the handler the team's rule picked, at filing or in routing, is told
   (`requests.notifications.handler_assigned`).
5. **publish**: the event gets its place in the feed integrations read (`GET /api/v1/events`).

Reclassified by staff (`aspa.request.classified`): **route** (when the service or product
changed) → **start_process** (when the service changed) → **publish**.

The requests app writes the events in the transaction of the change (`requests/events.py`);
the worker's relay runs the steps from the outbox (`aspa/outbox/`, docs/outbox.md), each step
in its own transaction together with the record that it ran, so a step runs exactly once even
when a worker dies between two steps. Nothing here is a Django signal: this list is the flow."""

from aspa.identity.models import User
from aspa.outbox import operations as outbox
from aspa.outbox.models import OutboxEvent
from aspa.outbox.operations import Step
from aspa.processes import operations as process_operations
from aspa.requests import events, notifications
from aspa.requests.models import ServiceRequest, Status
from aspa.routing import operations as routing_operations


def _request(event: OutboxEvent) -> ServiceRequest | None:
    """The event's request, read once for all its steps in this run: each step changes it through
    operations that keep the instance up to date. A run that fails ends with the step, and the
    next try reads the event, and so the request, again."""
    if "_request" not in event.__dict__:
        event.__dict__["_request"] = (
            ServiceRequest.objects.select_related("type", "channel", "service", "department", "team", "assignee",
                                                  "party")
            .filter(pk=event.payload["request"]).first())
    return event.__dict__["_request"]


def _actor(event: OutboxEvent) -> User | None:
    actor_id = event.payload.get("actor")
    return User.objects.filter(pk=actor_id).first() if actor_id is not None else None


def _gone() -> dict:
    return {"skipped": "no such request"}


# ----------------------------------------------------------------- the steps


def route_filed(event: OutboxEvent) -> dict:
    service_request = _request(event)
    if service_request is None:
        return _gone()
    if service_request.version != event.payload["version"] or service_request.status != Status.RECEIVED:
        return {"skipped": "changed by staff since filing"}
    routing_operations.route_request(service_request, trigger="filed")
    return {"service": service_request.service.code if service_request.service_id else None}


def route_reclassified(event: OutboxEvent) -> dict:
    if not set(event.payload.get("changed", [])) & {"service", "product"}:
        return {"skipped": "neither service nor product changed"}
    service_request = _request(event)
    if service_request is None:
        return _gone()
    routing_operations.route_request(service_request, trigger="classified")
    return {}


def start_process(event: OutboxEvent) -> dict:
    if event.type == events.CLASSIFIED and "service" not in event.payload.get("changed", []):
        return {"skipped": "the service did not change"}
    service_request = _request(event)
    if service_request is None:
        return _gone()
    instance = process_operations.start_or_note_failure(service_request, _actor(event))
    return {"process": instance.pk} if instance is not None else {}


def send_receipt(event: OutboxEvent) -> dict:
    if not event.payload.get("receipt"):
        return {"skipped": "no receipt asked for"}
    service_request = _request(event)
    if service_request is None:
        return _gone()
    return {"sent": notifications.received(service_request)}


def notify_staff(event: OutboxEvent) -> dict:
    service_request = _request(event)
    if service_request is None:
        return _gone()
    handler = service_request.assignee
    if handler is None or handler.pk == event.payload.get("actor"):
        return {"skipped": "no handler was picked"}
    return {"sent": notifications.handler_assigned(service_request, handler)}


def publish(event: OutboxEvent) -> dict:
    return {"position": outbox.publish(event)}


PIPELINES: dict[str, list[Step]] = {
    events.FILED: [
        Step(events.ROUTE_STEP, route_filed),
        Step("start_process", start_process),
        Step("receipt", send_receipt),
        Step("notify_staff", notify_staff),
        Step("publish", publish),
    ],
    events.CLASSIFIED: [
        Step(events.ROUTE_STEP, route_reclassified),
        Step("start_process", start_process),
        Step("publish", publish),
    ],
}


def steps_for(event: OutboxEvent) -> list[Step]:
    """The steps of an event, in order (the setting OUTBOX_PIPELINE names this function)."""
    return PIPELINES.get(event.type, [Step("publish", publish)])
