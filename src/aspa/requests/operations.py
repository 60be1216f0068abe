"""Every change to a service request: filing, the actions of its life cycle, messages and
attachments. Each function runs in one transaction and writes an immutable RequestEvent;
customer emails are sent only after commit.

Changes use optimistic locking: the caller passes the version it read, and a change based
on an older version is refused with 409 "stale" and writes nothing."""

import datetime
from enum import StrEnum

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.catalogue.models import Department
from aspa.catalogue.queries import by_code
from aspa.customers import mandates
from aspa.customers.models import Party
from aspa.customers.queries import parties_visible_to
from aspa.customers.validation import normalise_email, normalise_phone
from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.access import STAFF, is_staff
from aspa.identity.models import Role, User
from aspa.requests import assignment, notifications, signals
from aspa.requests.attachments import check_upload
from aspa.requests.models import (
    Attachment,
    Message,
    RequestCounter,
    RequestEvent,
    RequestViewer,
    ServiceRequest,
    Status,
)
from aspa.requests.workdays import add_working_days, due_date_for, working_days_between

LANGUAGE_CODES = ("fi", "sv", "en")
MAX_TEXT = 20_000


class Action(StrEnum):
    CLASSIFY = "classify"
    TAKE = "take"
    ASSIGN = "assign"
    REQUEST_INFORMATION = "request_information"
    PROVIDE_INFORMATION = "provide_information"
    FORWARD = "forward"
    REDIRECT = "redirect"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    EDIT = "edit"  # description, language, contact details


A = Action
# What may be done to a request in each status. Anything else is refused with 409.
ALLOWED_ACTIONS: dict[str, frozenset[Action]] = {
    Status.RECEIVED: frozenset({A.CLASSIFY, A.TAKE, A.ASSIGN, A.REQUEST_INFORMATION, A.FORWARD,
                                A.REDIRECT, A.RESOLVE, A.EDIT}),
    Status.IN_PROGRESS: frozenset({A.CLASSIFY, A.ASSIGN, A.REQUEST_INFORMATION, A.FORWARD,
                                   A.REDIRECT, A.RESOLVE, A.EDIT}),
    # Waiting for the customer: the clock is stopped until the answer comes (or staff resume).
    Status.WAITING: frozenset({A.CLASSIFY, A.ASSIGN, A.PROVIDE_INFORMATION, A.EDIT}),
    # Forwarded to an expert or another organisation; the centre keeps following it.
    Status.FORWARDED: frozenset({A.CLASSIFY, A.TAKE, A.ASSIGN, A.REQUEST_INFORMATION, A.FORWARD,
                                 A.REDIRECT, A.RESOLVE, A.EDIT}),
    # Closed for the centre: the customer was guided elsewhere.
    Status.REDIRECTED: frozenset({A.REOPEN, A.CLOSE}),
    Status.RESOLVED: frozenset({A.REOPEN, A.CLOSE}),
    Status.CLOSED: frozenset({A.REOPEN}),
}


# ----------------------------------------------------------------- helpers


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "system"
    return (actor.get_full_name() or actor.get_username())[:150]


def _record(service_request: ServiceRequest, kind: str, actor: User | None, *, channel: str = "",
            from_status: str = "", to_status: str = "", data: dict | None = None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=service_request, kind=kind, at=timezone.now(), actor=actor, actor_label=_actor_label(actor),
        channel=channel, from_status=from_status, to_status=to_status, data=data or {},
    )


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise Forbidden()


def _is_own_request(actor: User, service_request: ServiceRequest) -> bool:
    """The resident's own request, or one of an organisation they hold a valid mandate for."""
    return (actor.is_authenticated and actor.role == Role.RESIDENT and actor.party_id is not None
            and mandates.may_act_for(actor.party_id, service_request.party_id))


def _require_staff_or_owner(actor: User, service_request: ServiceRequest) -> None:
    if not (is_staff(actor) or _is_own_request(actor, service_request)):
        raise Forbidden()


def _stale() -> Conflict:
    return Conflict(_("Someone else changed this request; reload and try again."), code="stale")


def _lock_at_version(service_request: ServiceRequest, version: int) -> None:
    """Lock the request's row until commit and refuse if it is no longer at `version`: an addition
    that does not change the request itself is still based on what its author saw."""
    current = (ServiceRequest.objects.select_for_update().filter(pk=service_request.pk)
               .values_list("version", flat=True).first())
    if current != version or service_request.version != version:
        raise _stale()


def check_allowed(service_request: ServiceRequest, action: Action) -> None:
    if action not in ALLOWED_ACTIONS[service_request.status]:
        raise Conflict(
            _("The action “%(action)s” is not allowed while the request is %(status)s.")
            % {"action": action.value, "status": Status(service_request.status).label},
            code="illegal_transition",
        )


def _save(service_request: ServiceRequest, version: int, changes: dict) -> None:
    """Write the changes only if nobody else has changed the request since `version` was read."""
    if version != service_request.version:
        raise _stale()
    now = timezone.now()
    updated = ServiceRequest.objects.filter(pk=service_request.pk, version=version).update(
        **changes, updated_at=now, version=F("version") + 1,
    )
    if not updated:
        raise _stale()
    for field, value in changes.items():
        setattr(service_request, field, value)
    service_request.updated_at = now
    service_request.version = version + 1


def _change(service_request: ServiceRequest, actor: User, action: Action, version: int, changes: dict, *,
            channel: str = "", data: dict | None = None) -> RequestEvent:
    """Check the transition, save under the version lock, and write the history event."""
    if version != service_request.version:
        raise _stale()
    check_allowed(service_request, action)
    from_status = service_request.status
    _save(service_request, version, changes)
    return _record(service_request, action.value, actor, channel=channel, from_status=from_status,
                   to_status=service_request.status, data=data)


def _channel_code(channel: str | None) -> str:
    if not channel:
        return ""
    return by_code("channel", channel, "channel").code


def _required_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput({field: [_("This field is required.")]})
    if len(text) > MAX_TEXT:
        raise InvalidInput({field: [_("The text is too long.")]})
    return text


def _code(item) -> str | None:
    return item.code if item is not None else None


def _today() -> datetime.date:
    return timezone.localdate()


def _optional_contact(normalise, value: str, field: str) -> str:
    """An anonymous filer's email or phone, normalised like the customer register's; empty is allowed."""
    return normalise(value, field) if value and value.strip() else ""


def _clean_language(value: str | None, default: str) -> str:
    if not value:
        return default
    if value not in LANGUAGE_CODES:
        raise InvalidInput({"language": [_("Must be one of: %(values)s.") % {"values": ", ".join(LANGUAGE_CODES)}]})
    return value


def _check_service_accepts(service, request_type, channel=None) -> None:
    if service is None:
        return
    if not service.request_types.filter(pk=request_type.pk).exists():
        raise InvalidInput({"type": [_("The service %(service)s does not take requests of this type.")
                                     % {"service": service.name}]})
    if channel is not None and service.channels.exists() and not service.channels.filter(pk=channel.pk).exists():
        raise InvalidInput({"channel": [_("The service %(service)s does not take requests through this channel.")
                                        % {"service": service.name}]})


def _check_product(product, service) -> None:
    if product is not None and service is not None and product.service_id != service.pk:
        raise InvalidInput({"product": [_("The product does not belong to the service.")]})


def _staff_user(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, is_active=True, role__in=STAFF).select_related("department", "team").first()
    if found is None:
        raise InvalidInput({field: [_("No active staff member with this id.")]})
    return found


def _next_number(year: int) -> str:
    """The next request number of the year. The UPDATE locks the counter row until the filing
    commits, so two concurrent filings never get the same number."""
    counter = RequestCounter.objects.filter(year=year)
    if not counter.update(last=F("last") + 1):
        # First request of the year; get_or_create survives a concurrent first filing.
        RequestCounter.objects.get_or_create(year=year)
        counter.update(last=F("last") + 1)
    last = counter.values_list("last", flat=True).get()
    return f"{settings.REQUEST_NUMBER_PREFIX}-{year}-{last:06d}"


def _new_message(service_request: ServiceRequest, actor: User | None, body: str, visibility: str,
                 from_customer: bool = False) -> Message:
    return Message.objects.create(request=service_request, visibility=visibility, body=body, author=actor,
                                  author_label=_actor_label(actor), from_customer=from_customer)


# ----------------------------------------------------------------- filing


@transaction.atomic
def file_request(actor: User, *, type: str, channel: str, description: str, service: str | None = None,
                 language: str | None = None, party: int | None = None, co_parties: list[int] | None = None,
                 contact_name: str = "", contact_email: str = "", contact_phone: str = "",
                 product: str | None = None, department: str | None = None, team: str | None = None,
                 attachments: list | None = None) -> ServiceRequest:
    """File a new request (vireillepano): numbered, received, with its service-level due date.

    Filed for a team, it goes to the team's department and the team's own rule (round robin,
    least loaded) picks its handler; a manual team leaves it waiting in the team's queue."""
    if not (is_staff(actor) or (actor.is_authenticated and actor.role == Role.RESIDENT)):
        raise Forbidden()
    request_type = by_code("type", type, "type")
    if request_type is None:
        raise InvalidInput({"type": [_("This field is required.")]})
    channel_entry = by_code("channel", channel, "channel")
    if channel_entry is None:
        raise InvalidInput({"channel": [_("This field is required.")]})
    service_entry = by_code("service", service, "service")
    product_entry = by_code("product", product, "product")
    if product_entry is not None and service_entry is None:
        service_entry = product_entry.service
    _check_product(product_entry, service_entry)
    _check_service_accepts(service_entry, request_type, channel_entry)
    department_entry = by_code("department", department, "department")
    team_entry = by_code("team", team, "team")
    if department_entry is None and team_entry is not None:
        department_entry = team_entry.department
    if department_entry is None:
        # Unclassified requests belong to the customer service centre until someone classifies them.
        department_entry = (service_entry.department if service_entry is not None
                            else Department.objects.filter(is_service_centre=True).order_by("id").first())

    if actor.role == Role.RESIDENT:
        # A resident files for themselves or for an organisation they hold a valid mandate for.
        if actor.party_id is None:
            raise Forbidden(_("Sign in with strong identification to file a request."))
        if party is not None and not mandates.may_act_for(actor.party_id, party):
            raise Forbidden(_("You can file requests only for yourself."))
        party = party if party is not None else actor.party_id
        co_parties = []
    # Staff file only for customers they may read (an expert: their department's), and one they
    # may not read is answered like one that does not exist, so filing tells nothing of who is a
    # customer. A resident's own party or mandate was checked above.
    known = Party.objects.all() if actor.role == Role.RESIDENT else parties_visible_to(actor)
    party_entry = None
    if party is not None:
        party_entry = known.filter(pk=party).first()
        if party_entry is None:
            raise InvalidInput({"party": [_("No customer with this id.")]})
    co_party_ids = sorted(set(co_parties or []) - {party})
    co_party_entries = list(known.filter(pk__in=co_party_ids))
    if len(co_party_entries) != len(co_party_ids):
        raise InvalidInput({"co_parties": [_("No customer with this id.")]})

    default_language = party_entry.language if party_entry is not None else (actor.language or "fi")
    now = timezone.now()
    filed_on = timezone.localdate(now)
    details = {
        "contact_name": contact_name.strip()[:200],
        "contact_email": _optional_contact(normalise_email, contact_email, "contact.email"),
        "contact_phone": _optional_contact(normalise_phone, contact_phone, "contact.phone"),
        "description": _required_text(description, "description"),
        "language": _clean_language(language, default_language),
        "due_date": due_date_for(filed_on, service_entry),
    }
    # Picked before the number is taken: the team's row is locked until the filing commits.
    handler = assignment.pick_handler(team_entry) if team_entry is not None else None
    # The number is taken last: its counter row stays locked until the filing commits, so
    # everything that can be checked first is checked before.
    service_request = ServiceRequest.objects.create(
        team=team_entry,
        assignee=handler,
        number=_next_number(filed_on.year),
        status=Status.RECEIVED,
        type=request_type,
        service=service_entry,
        product=product_entry,
        department=department_entry,
        channel=channel_entry,
        party=party_entry,
        created_by=actor,
        created_at=now,
        **details,
    )
    if co_party_entries:
        service_request.co_parties.set(co_party_entries)
    _record(service_request, "filed", actor, channel=channel_entry.code, to_status=Status.RECEIVED, data={
        "number": service_request.number, "type": request_type.code, "service": _code(service_entry),
        "department": _code(department_entry), "due_date": service_request.due_date.isoformat(),
        **({"team": team_entry.code} if team_entry is not None else {}),
        **({"assignee": handler.pk, "assigned_automatically": True} if handler is not None else {}),
    })
    # Before the files are written: a receiver that refuses the filing leaves no file behind.
    signals.request_filed.send(ServiceRequest, service_request=service_request, actor=actor)
    stored: list[Attachment] = []
    try:
        for upload in attachments or []:
            stored.append(add_attachment(actor, service_request, upload, channel=channel_entry.code))
    except Exception:
        # The whole filing rolls back, so the files already written must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return service_request


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
        signals.request_classified.send(ServiceRequest, service_request=service_request, actor=actor,
                                        changed=set(changes))
    return service_request


ROUTABLE_FIELDS = frozenset({"service", "department", "team", "priority", "due_date"})


def record_routing(service_request: ServiceRequest, *, changes: dict, data: dict) -> RequestEvent:
    """Apply a routing decision (a rule that fired, a confident suggestion) and write it into the history.

    Runs inside the filing's or classification's transaction (from its signal), on the version that
    change just wrote, so it needs no version from a caller. A new team picks its handler by its own
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
    message = _new_message(service_request, actor, question, Message.Visibility.CUSTOMER)
    # The event is immutable; the message id goes into a follow-up record instead of an edit.
    _record(service_request, "message_added", actor, channel=event.channel,
            data={"message_id": message.pk, "visibility": message.visibility, "from_customer": False})
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
    message = _new_message(service_request, actor, answer, Message.Visibility.CUSTOMER, from_customer=from_customer)
    _record(service_request, "message_added", actor, channel=event.channel,
            data={"message_id": message.pk, "visibility": message.visibility, "from_customer": from_customer})
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
        sent = _new_message(service_request, actor, message, Message.Visibility.CUSTOMER)
        _record(service_request, "message_added", actor, channel=event.channel,
                data={"message_id": sent.pk, "visibility": sent.visibility, "from_customer": False})
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


# ----------------------------------------------------------------- messages and attachments


@transaction.atomic
def add_message(actor: User, service_request: ServiceRequest, *, body: str, visibility: str | None = None,
                channel: str = "", version: int | None = None) -> Message:
    """A note between staff, or a message the customer sees (and is emailed about).

    With `version`, the message is refused (409 stale) if the request changed since it was read."""
    _require_staff_or_owner(actor, service_request)
    if version is not None:
        _lock_at_version(service_request, version)
    body = _required_text(body, "body")
    from_customer = not is_staff(actor)
    if from_customer:
        visibility = Message.Visibility.CUSTOMER
    elif visibility is None:
        visibility = Message.Visibility.INTERNAL
    elif visibility not in Message.Visibility.values:
        raise InvalidInput({"visibility": [_("Must be one of: %(values)s.")
                                           % {"values": ", ".join(Message.Visibility.values)}]})
    message = _new_message(service_request, actor, body, visibility, from_customer=from_customer)
    _record(service_request, "message_added", actor, channel=_channel_code(channel),
            data={"message_id": message.pk, "visibility": visibility, "from_customer": from_customer})
    if visibility == Message.Visibility.CUSTOMER and not from_customer:
        notifications.message_sent(service_request, message)
    return message


@transaction.atomic
def add_attachment(actor: User, service_request: ServiceRequest, upload, *, visible_to_customer: bool = True,
                   is_decision: bool = False, channel: str = "", version: int | None = None) -> Attachment:
    """Store a file after checking its size and its real (sniffed) type.

    Staff may mark the file a decision document: the resident finds it in their document bank.
    With `version`, the file is refused (409 stale) if the request changed since it was read."""
    _require_staff_or_owner(actor, service_request)
    if version is not None:
        _lock_at_version(service_request, version)
    if not is_staff(actor):
        visible_to_customer, is_decision = True, False
    if is_decision and not visible_to_customer:
        raise InvalidInput({"is_decision": [_("A decision document is for the customer: let the customer see it.")]})
    checked = check_upload(upload)
    attachment = Attachment(request=service_request, original_name=checked.name, content_type=checked.content_type,
                            size=len(checked.data), sha256=checked.sha256, visible_to_customer=visible_to_customer,
                            is_decision=is_decision, uploaded_by=actor)
    # Written only after the checks passed; removed again if the database refuses the row.
    attachment.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            _record(service_request, "attachment_added", actor, channel=_channel_code(channel), data={
                "attachment_id": attachment.pk, "name": checked.name, "content_type": checked.content_type,
                "size": attachment.size, "sha256": checked.sha256, "visible_to_customer": visible_to_customer,
                "is_decision": is_decision,
            })
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


# ----------------------------------------------------------------- the desk: presence and bulk reassignment


def note_viewer(actor: User, service_request: ServiceRequest) -> None:
    """Remember that `actor` has the request's page open now (the desk's heartbeat).

    Not history: nothing is recorded but the time, and the row is overwritten each time."""
    _require_staff(actor)
    RequestViewer.objects.update_or_create(request=service_request, user=actor,
                                           defaults={"last_seen": timezone.now()})


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
