"""The actions of a request's life: correcting its details, classifying, routing, taking,
assigning, asking and answering, forwarding, redirecting, resolving, reopening, closing, and a
supervisor's bulk reassignment. Each runs in one transaction and writes one history event."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.catalogue.queries import by_code
from aspa.customers.validation import normalise_email, normalise_phone
from aspa.errors import Forbidden, InvalidInput
from aspa.identity.models import Role, User
from aspa.requests import assignment, events, notifications
from aspa.requests.models import RequestEvent, ServiceRequest, Status
from aspa.requests.operations.messages import _write_message
from aspa.requests.operations.shared import (
    Action,
    _change,
    _channel_code,
    _check_product,
    _check_service_accepts,
    _clean_language,
    _code,
    _is_own_request,
    _optional_contact,
    _record,
    _require_staff,
    _require_staff_or_owner,
    _required_text,
    _save,
    _staff_user,
    _stale,
    _today,
    check_allowed,
)
from aspa.requests.workdays import add_working_days, due_date_for, working_days_between

A = Action


# ----------------------------------------------------------------- edits


@transaction.atomic
def update_details(actor: User, service_request: ServiceRequest, *, version: int, description: str | None = None,
                   language: str | None = None, contact_name: str | None = None, contact_email: str | None = None,
                   contact_phone: str | None = None, channel: str = "") -> ServiceRequest:
    """Correct the description, language or the anonymous filer's contact details."""
    _require_staff_or_owner(actor, service_request)
    changes: dict = {}
    if description is not None:
        changes["description"] = _required_text(description, "description")
    if language is not None:
        changes["language"] = _clean_language(language, service_request.language)
    if contact_name is not None:
        changes["contact_name"] = contact_name.strip()[:200]
    if contact_email is not None:
        changes["contact_email"] = _optional_contact(normalise_email, contact_email, "contact.email")
    if contact_phone is not None:
        changes["contact_phone"] = _optional_contact(normalise_phone, contact_phone, "contact.phone")
    changes = {field: value for field, value in changes.items() if getattr(service_request, field) != value}
    if not changes:
        # Nothing to save, but a stale or closed request is still reported as such.
        if version != service_request.version:
            raise _stale()
        check_allowed(service_request, A.EDIT)
        return service_request
    data = {field: {"from": getattr(service_request, field), "to": value} for field, value in changes.items()}
    _change(service_request, actor, A.EDIT, version, changes, channel=_channel_code(channel), data=data)
    return service_request


# ----------------------------------------------------------------- life-cycle actions


@transaction.atomic
def classify(actor: User, service_request: ServiceRequest, *, version: int, service: str | None = None,
             department: str | None = None, product: str | None = None, channel: str = "") -> ServiceRequest:
    """Set the service, department or product. A new service brings its own due date."""
    _require_staff(actor)
    service_entry = by_code("service", service, "service")
    department_entry = by_code("department", department, "department")
    product_entry = by_code("product", product, "product")
    if service_entry is None and department_entry is None and product_entry is None:
        raise InvalidInput({"service": [_("Give a service, a department or a product.")]})
    if product_entry is not None and service_entry is None:
        service_entry = product_entry.service
    changes: dict = {}
    if service_entry is not None and service_entry.pk != service_request.service_id:
        _check_service_accepts(service_entry, service_request.type)
        changes["service"] = service_entry
        changes["due_date"] = due_date_for(timezone.localdate(service_request.created_at), service_entry)
        if department_entry is None:
            department_entry = service_entry.department
        if product_entry is None and service_request.product_id is not None:
            changes["product"] = None  # a product of the old service does not belong to the new one
    _check_product(product_entry, service_entry or service_request.service)
    if product_entry is not None:
        changes["product"] = product_entry
    if department_entry is not None:
        changes["department"] = department_entry
    data = {}
    for field in ("service", "department", "product"):
        if field in changes:
            data[field] = {"from": _code(getattr(service_request, field)), "to": _code(changes[field])}
    if "due_date" in changes:
        data["due_date"] = {"from": service_request.due_date.isoformat(), "to": changes["due_date"].isoformat()}
    _change(service_request, actor, A.CLASSIFY, version, changes, channel=_channel_code(channel), data=data)
    if changes:
        # Routing and the new service's process follow from the event (aspa.after_filing).
        events.classified(service_request, actor, changed=set(changes))
    return service_request


ROUTABLE_FIELDS = frozenset({"service", "department", "team", "priority", "due_date"})


def record_routing(service_request: ServiceRequest, *, changes: dict, data: dict) -> RequestEvent:
    """Apply a routing decision (a rule that fired, a confident suggestion) and write it into the history.

    Runs in the after-filing pipeline's route step (aspa.after_filing), in the step's transaction,
    on the version it has just read: a person's change in between is refused as stale (409) and
    the step is tried again. A new team picks its handler by its own
    rule; the decision is the system's, not the filer's."""
    unknown = set(changes) - ROUTABLE_FIELDS
    if unknown:
        raise ValueError(f"Routing may not change {sorted(unknown)}.")
    changes = {field: value for field, value in changes.items() if getattr(service_request, field) != value}
    if changes.get("team") is not None and service_request.assignee_id is None:
        handler = assignment.pick_handler(changes["team"])
        if handler is not None:
            changes["assignee"] = handler
    if changes:
        _save(service_request, service_request.version, changes)
    return _record(service_request, "routed", None, data=data)


@transaction.atomic
def take(actor: User, service_request: ServiceRequest, *, version: int, channel: str = "") -> ServiceRequest:
    """The acting staff member starts handling the request themselves."""
    _require_staff(actor)
    _change(service_request, actor, A.TAKE, version,
            {"status": Status.IN_PROGRESS, "assignee": actor},
            channel=_channel_code(channel),
            data={"assignee": actor.pk, "was_forwarded": service_request.forwarded_at is not None})
    return service_request


@transaction.atomic
def assign(actor: User, service_request: ServiceRequest, *, version: int, assignee: int | None = None,
           team: str | None = None, channel: str = "") -> ServiceRequest:
    """Give the request to a handler or a team without changing its status."""
    _require_staff(actor)
    handler = _staff_user(assignee, "assignee")
    team_entry = by_code("team", team, "team")
    if handler is None and team_entry is None:
        raise InvalidInput({"assignee": [_("Give a handler or a team.")]})
    changes: dict = {}
    data: dict = {}
    if handler is None and version == service_request.version:
        # Given to a team without a handler: the team's own rule may pick one.
        handler = assignment.pick_handler(team_entry)
        if handler is not None:
            data["assigned_automatically"] = True
    if handler is not None:
        changes["assignee"] = handler
        data["assignee"] = {"from": service_request.assignee_id, "to": handler.pk}
    if team_entry is not None:
        changes["team"] = team_entry
        data["team"] = {"from": _code(service_request.team), "to": team_entry.code}
    _change(service_request, actor, A.ASSIGN, version, changes, channel=_channel_code(channel), data=data)
    return service_request


@transaction.atomic
def request_information(actor: User, service_request: ServiceRequest, *, version: int, question: str,
                        channel: str = "") -> ServiceRequest:
    """Ask the customer for more information. The due date stops until the answer."""
    _require_staff(actor)
    question = _required_text(question, "question")
    previous = service_request.status
    event = _change(service_request, actor, A.REQUEST_INFORMATION, version,
                    {"status": Status.WAITING, "waiting_since": timezone.now(), "status_before_waiting": previous},
                    channel=_channel_code(channel), data={"question": question})
    _write_message(service_request, actor, question, channel=event.channel)
    notifications.information_requested(service_request, question)
    return service_request


@transaction.atomic
def provide_information(actor: User, service_request: ServiceRequest, *, version: int, answer: str,
                        channel: str = "") -> ServiceRequest:
    """The customer's answer arrives (or staff resume): back to the earlier status, with the due
    date moved on by the working days spent waiting."""
    _require_staff_or_owner(actor, service_request)
    answer = _required_text(answer, "answer")
    back_to = service_request.status_before_waiting
    if back_to not in (Status.IN_PROGRESS, Status.FORWARDED):
        back_to = Status.IN_PROGRESS
    changes: dict = {"status": back_to, "waiting_since": None, "status_before_waiting": ""}
    data: dict = {}
    if service_request.status == Status.WAITING and service_request.waiting_since is not None:
        waited = working_days_between(timezone.localdate(service_request.waiting_since), _today())
        data["waited_working_days"] = waited
        if waited:
            changes["due_date"] = add_working_days(service_request.due_date, waited)
            data["due_date"] = {"from": service_request.due_date.isoformat(),
                                "to": changes["due_date"].isoformat()}
    from_customer = _is_own_request(actor, service_request)
    event = _change(service_request, actor, A.PROVIDE_INFORMATION, version, changes,
                    channel=_channel_code(channel), data=data)
    _write_message(service_request, actor, answer, channel=event.channel, from_customer=from_customer)
    return service_request


@transaction.atomic
def forward(actor: User, service_request: ServiceRequest, *, version: int, to_user: int | None = None,
            to_team: str | None = None, to_department: str | None = None, to_organisation: str | None = None,
            note: str = "", due_date: datetime.date | None = None, channel: str = "") -> ServiceRequest:
    """Hand the request to an expert, a team, a department or another organisation. The department
    that forwarded it keeps following it."""
    _require_staff(actor)
    handler = _staff_user(to_user, "to_user")
    team_entry = by_code("team", to_team, "to_team")
    department_entry = by_code("department", to_department, "to_department")
    organisation = by_code("organisation", to_organisation, "to_organisation")
    targets = [target for target in (handler, team_entry, department_entry, organisation) if target is not None]
    if len(targets) != 1:
        raise InvalidInput({"to": [_("Choose exactly one: a handler, a team, a department or an organisation.")]})
    if due_date is not None and due_date < _today():
        raise InvalidInput({"due_date": [_("The due date cannot be in the past.")]})

    changes: dict = {
        "status": Status.FORWARDED,
        "forwarded_at": timezone.now(),
        "followed_by": service_request.followed_by or service_request.department or actor.department,
    }
    # The customer is told which department or organisation now handles it, not a person's name.
    if handler is not None:
        owner = handler.department or service_request.department
        changes.update(assignee=handler, team=handler.team, department=owner)
    elif team_entry is not None:
        owner = team_entry.department
        # The team's own rule may pick the handler (round robin, least loaded); manual leaves it open.
        picked = assignment.pick_handler(team_entry) if version == service_request.version else None
        changes.update(assignee=picked, team=team_entry, department=owner)
    elif department_entry is not None:
        owner = department_entry
        changes.update(assignee=None, team=None, department=owner)
    else:
        owner = organisation
        changes.update(assignee=None, team=None, forwarded_to=organisation)
    if due_date is not None:
        changes["due_date"] = due_date
    data = {
        "to_user": handler.pk if handler is not None else None, "to_team": _code(team_entry), "to_department": _code(department_entry),
        "to_organisation": _code(organisation), "note": note.strip(),
        "due_date": (due_date or service_request.due_date).isoformat(),
        "followed_by": _code(changes["followed_by"]),
    }
    if handler is None and changes.get("assignee") is not None:
        data["assigned_automatically"] = changes["assignee"].pk
    _change(service_request, actor, A.FORWARD, version, changes, channel=_channel_code(channel), data=data)
    notifications.forwarded(service_request, owner)
    return service_request


@transaction.atomic
def redirect(actor: User, service_request: ServiceRequest, *, version: int, guidance: str,
             organisation: str | None = None, message: str = "", channel: str = "") -> ServiceRequest:
    """Guide the customer elsewhere; the request closes for the centre."""
    _require_staff(actor)
    guidance = _required_text(guidance, "guidance")
    organisation_entry = by_code("organisation", organisation, "organisation")
    message = message.strip()
    event = _change(service_request, actor, A.REDIRECT, version,
                    {"status": Status.REDIRECTED, "redirected_to": organisation_entry, "guidance": guidance,
                     "closed_at": timezone.now(), "waiting_since": None},
                    channel=_channel_code(channel),
                    data={"organisation": _code(organisation_entry), "guidance": guidance})
    if message:
        _write_message(service_request, actor, message, channel=event.channel)
    notifications.redirected(service_request, message)
    return service_request


@transaction.atomic
def resolve(actor: User, service_request: ServiceRequest, *, version: int, resolution: str,
            first_contact: bool = False, channel: str = "") -> ServiceRequest:
    _require_staff(actor)
    resolution = _required_text(resolution, "resolution")
    _change(service_request, actor, A.RESOLVE, version,
            {"status": Status.RESOLVED, "resolution": resolution, "resolved_at_first_contact": first_contact,
             "resolved_at": timezone.now()},
            channel=_channel_code(channel), data={"resolution": resolution, "first_contact": first_contact})
    notifications.resolved(service_request)
    return service_request


@transaction.atomic
def reopen(actor: User, service_request: ServiceRequest, *, version: int, reason: str,
           channel: str = "") -> ServiceRequest:
    _require_staff(actor)
    reason = _required_text(reason, "reason")
    # The old resolution stays in the history (the resolve event); the request itself is open again.
    _change(service_request, actor, A.REOPEN, version,
            {"status": Status.IN_PROGRESS, "resolution": "", "resolved_at": None, "resolved_at_first_contact": None,
             "closed_at": None},
            channel=_channel_code(channel), data={"reason": reason})
    return service_request


@transaction.atomic
def close(actor: User, service_request: ServiceRequest, *, version: int, channel: str = "") -> ServiceRequest:
    _require_staff(actor)
    _change(service_request, actor, A.CLOSE, version,
            {"status": Status.CLOSED, "closed_at": service_request.closed_at or timezone.now()},
            channel=_channel_code(channel))
    return service_request


@transaction.atomic
def reassign_many(actor: User, versions: dict[int, int], *, assignee: int | None = None,
                  team: str | None = None, channel: str = "") -> list[ServiceRequest]:
    """Give many requests to one handler or one team at once (a supervisor's bulk reassignment).

    `versions` maps each request's id to the version the supervisor saw. The rows are locked in
    id order (so two bulk changes never deadlock); if any of them changed meanwhile or cannot be
    assigned in its status, nothing is written. One history event per request."""
    if not actor.is_authenticated or actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise Forbidden()
    if not versions:
        raise InvalidInput({"requests": [_("Choose at least one request.")]})
    handler = _staff_user(assignee, "assignee")
    team_entry = by_code("team", team, "team")
    if (handler is None) == (team_entry is None):
        raise InvalidInput({"assignee": [_("Choose either a handler or a team.")]})
    locked = list(ServiceRequest.objects.select_for_update().filter(pk__in=versions).order_by("pk"))
    if len(locked) != len(versions):
        raise InvalidInput({"requests": [_("Some of the chosen requests no longer exist.")]})
    for service_request in locked:
        if service_request.version != versions[service_request.pk]:
            raise _stale()
        check_allowed(service_request, A.ASSIGN)
    for service_request in locked:
        assign(actor, service_request, version=service_request.version,
               assignee=handler.pk if handler is not None else None,
               team=team_entry.code if team_entry is not None else None, channel=channel)
    return locked
