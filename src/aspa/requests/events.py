"""The domain events of a request, written to the outbox (aspa.outbox) in the transaction of the
change; the after-filing pipeline (aspa.after_filing) runs them, integrations read them.

The requests app does not know what acts on them: it only says what happened."""

from aspa.identity.models import User
from aspa.outbox import operations as outbox
from aspa.outbox import queries as outbox_queries
from aspa.requests.models import ServiceRequest

AGGREGATE = "request"
FILED = "aspa.request.filed"
CLASSIFIED = "aspa.request.classified"
# The pipeline's first step; until it has run, the request is "being routed".
ROUTE_STEP = "route"


def _payload(service_request: ServiceRequest, actor: User | None) -> dict:
    return {
        "request": service_request.pk, "number": service_request.number, "version": service_request.version,
        "type": service_request.type.code, "channel": service_request.channel.code,
        "service": service_request.service.code if service_request.service is not None else None,
        "department": service_request.department.code if service_request.department is not None else None,
        "actor": actor.pk if actor is not None and actor.pk is not None else None,
    }


def filed(service_request: ServiceRequest, actor: User, *, receipt: bool) -> None:
    payload = {**_payload(service_request, actor), "receipt": receipt}
    outbox.record(FILED, aggregate_type=AGGREGATE, aggregate_id=service_request.pk, payload=payload, first=True)


def classified(service_request: ServiceRequest, actor: User, *, changed: set[str]) -> None:
    payload = {**_payload(service_request, actor), "changed": sorted(changed)}
    outbox.record(CLASSIFIED, aggregate_type=AGGREGATE, aggregate_id=service_request.pk, payload=payload)


def settle(service_request: ServiceRequest) -> bool:
    """Run the request's pending events now, in this process, unless a worker holds them (the
    desk's own filing, so the advisor sees where it went). True when nothing is left pending."""
    return outbox.settle(AGGREGATE, service_request.pk)


def routing_pending(service_request: ServiceRequest) -> bool:
    """True until the pipeline has routed the request's latest filing or reclassification."""
    annotated = getattr(service_request, "routing_pending", None)
    if isinstance(annotated, bool):
        return annotated
    return outbox_queries.step_pending(AGGREGATE, service_request.pk, (FILED, CLASSIFIED), ROUTE_STEP)


def routing_pending_annotation():
    """`routing_pending` for every row of a list, in the list's own query."""
    return outbox_queries.step_pending_of(AGGREGATE, (FILED, CLASSIFIED), ROUTE_STEP)
