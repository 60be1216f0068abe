"""What a BPMN service task may do: the platform's operations, by the operator name in the file.

Each operator gets the step's context (the request, the acting staff member, the process
instance) and the service task's evaluated parameters. They run inside the step's transaction,
so a refusal (for example a request that is already resolved) undoes the whole step.

There is no payments app and no notice board yet: `request_invoice` and `publish_notice` are
hooks that write an event into the request's history (and the outbox once it exists), which the
invoicing system and the notice board will pick up."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from aspa.catalogue.models import Product
from aspa.errors import Conflict
from aspa.identity.models import User
from aspa.processes import escalation
from aspa.processes.history import record_event
from aspa.requests import operations as request_operations
from aspa.requests.models import Message, ServiceRequest


@dataclass
class StepContext:
    """Who and what one step of a process acts for."""

    instance: object  # ProcessInstance
    service_request: ServiceRequest
    actor: User | None  # None when the background worker runs a timer


def _fresh(context: StepContext) -> ServiceRequest:
    # An earlier task of the same step may have changed the request (and its version).
    context.service_request.refresh_from_db()
    return context.service_request


def _staff_actor(context: StepContext, operator: str) -> User:
    if context.actor is None:
        raise Conflict(_("The process step “%(operator)s” needs a staff member; it cannot run on a timer.")
                       % {"operator": operator}, code="process_error")
    return context.actor


def customer_language(service_request: ServiceRequest) -> str:
    if service_request.party_id is not None and service_request.party.language in ("fi", "sv", "en"):
        return service_request.party.language
    return service_request.language if service_request.language in ("fi", "sv", "en") else "fi"


def _text(context: StepContext, params: dict) -> str:
    """The text parameter in the customer's language (text_fi, text_sv, text_en), Finnish if missing."""
    language = customer_language(context.service_request)
    text = params.get(f"text_{language}") or params.get("text_fi") or params.get("text") or ""
    return str(text).strip()


def send_message(context: StepContext, params: dict) -> dict:
    service_request = _fresh(context)
    message = request_operations.add_message(_staff_actor(context, "send_message"), service_request,
                                             body=_text(context, params), visibility=Message.Visibility.CUSTOMER)
    return {"message": message.pk}


def request_information(context: StepContext, params: dict) -> dict:
    service_request = _fresh(context)
    request_operations.request_information(_staff_actor(context, "request_information"), service_request,
                                           version=service_request.version, question=_text(context, params))
    return {"status": service_request.status}


def forward(context: StepContext, params: dict) -> dict:
    service_request = _fresh(context)
    request_operations.forward(_staff_actor(context, "forward"), service_request, version=service_request.version,
                               to_team=params.get("team") or None, to_department=params.get("department") or None,
                               note=str(params.get("note") or ""))
    return {"status": service_request.status}


def resolve(context: StepContext, params: dict) -> dict:
    """The decision's notification (tiedoksianto): the request is resolved with the decision's text,
    and the customer is emailed it in their language."""
    service_request = _fresh(context)
    request_operations.resolve(_staff_actor(context, "resolve"), service_request, version=service_request.version,
                               resolution=_text(context, params))
    return {"status": service_request.status}


def request_invoice(context: StepContext, params: dict) -> dict:
    """Hook: ask for an invoice of the request's product (or the product the file names)."""
    service_request = _fresh(context)
    code = params.get("product") or None
    product = service_request.product if service_request.product_id is not None else None
    if product is None and code:
        product = Product.objects.filter(code=code).first()
    price = product.price if product is not None and product.price is not None else Decimal("0")
    data = {"product": product.code if product is not None else code, "amount": str(price), "currency": "EUR",
            "party": service_request.party_id, "payments_app": False}
    record_event(service_request, "invoice_requested", context.actor, data)
    return data


def publish_notice(context: StepContext, params: dict) -> dict:
    """Hook: ask for the request to be published on the notice board (ilmoitustaulu)."""
    service_request = _fresh(context)
    data = {"kind": str(params.get("kind") or ""), "notices_app": False}
    record_event(service_request, "notice_publication_requested", context.actor, data)
    return data


def escalate(context: StepContext, params: dict) -> dict:
    escalated = escalation.escalate_tasks(context.instance, str(params.get("task") or ""))
    return {"escalated": escalated}


OPERATORS: dict[str, Callable[[StepContext, dict], dict]] = {
    "send_message": send_message,
    "request_information": request_information,
    "forward": forward,
    "resolve": resolve,
    "request_invoice": request_invoice,
    "publish_notice": publish_notice,
    "escalate": escalate,
}
