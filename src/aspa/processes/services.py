"""What a BPMN service task may do: the platform's operations, by the operator name in the file.

Each operator gets the step's context (the request, the acting staff member, the process
instance) and the service task's evaluated parameters. They run inside the step's transaction,
so a refusal (for example a request that is already resolved) undoes the whole step.

There is no invoicing system and no notice board connected yet: `request_invoice` and
`publish_notice` are NOT_CONNECTED. They do nothing but write `process_step_not_connected` into
the request's history, with what should have been invoiced or published, so nobody mistakes the
step for done; the shipped processes follow each with a user task in which a person does it by
hand (docs/processes.md says why). The admin's diagram page lists such steps."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# The operators that no system stands behind yet, and what an administrator is told about them.
NOT_CONNECTED: dict[str, object] = {
    "request_invoice": gettext_lazy("Not connected: no invoicing system is connected to Aspa, so this step "
                                    "invoices nothing. It records what should be invoiced; a person invoices "
                                    "it by hand in the finance system."),
    "publish_notice": gettext_lazy("Not connected: no notice board is connected to Aspa, so this step "
                                   "publishes nothing. It records what should be published; a person "
                                   "publishes it by hand."),
}


def _not_connected(context: StepContext, operator: str, system: str, data: dict) -> dict:
    """Write into the history that the step ran but did nothing, and what was to be done."""
    recorded = {"step": operator, "system": system, "connected": False, **data}
    record_event(context.service_request, "process_step_not_connected", context.actor, recorded)
    return recorded


def request_invoice(context: StepContext, params: dict) -> dict:
    """Not connected: what the invoice would be for (the request's product, or the one the file
    names, at its price). Nothing is invoiced."""
    service_request = _fresh(context)
    code = params.get("product") or None
    product = service_request.product if service_request.product_id is not None else None
    if product is None and code:
        product = Product.objects.filter(code=code).first()
    price = product.price if product is not None and product.price is not None else Decimal("0")
    return _not_connected(context, "request_invoice", "invoicing", {
        "product": product.code if product is not None else code, "amount": str(price), "currency": "EUR",
        "party": service_request.party_id})


def publish_notice(context: StepContext, params: dict) -> dict:
    """Not connected: what would be published on the notice board (ilmoitustaulu). Nothing is published."""
    _fresh(context)
    return _not_connected(context, "publish_notice", "notice_board", {"kind": str(params.get("kind") or "")})


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
