"""Recording contacts: every interaction with a customer on every channel (palvelutapahtuma)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.audit.models import AuditAction
from aspa.audit.operations import record as record_audit
from aspa.catalogue.models import Channel, Department, Service, Team
from aspa.contacts.models import Contact, ContactRequest, Outcome
from aspa.contacts.queries import may_handle_contact_request
from aspa.customers.models import ContactPoint, Party
from aspa.customers.queries import parties_visible_to
from aspa.customers.validation import normalise_email, normalise_phone
from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.access import STAFF, require_role
from aspa.identity.models import Role, User
from aspa.requests import operations as request_operations
from aspa.requests.models import ServiceRequest

LANGUAGE_CODES = ("fi", "sv", "en")
# Outcomes that only make sense when the contact is tied to a service request.
NEEDS_REQUEST = (Outcome.REQUEST_FILED, Outcome.FORWARDED)
# Clocks of desk computers drift; a start a little in the future is still accepted.
CLOCK_SKEW = timedelta(minutes=5)
# Besides the staff member who recorded a contact, these roles may correct it.
MAY_CORRECT_ANY = (Role.SUPERVISOR, Role.ADMIN)

# Marks an argument of update_contact that the caller did not give.
UNCHANGED = object()


class _Errors(dict):
    """Collects every problem of one input so the caller sees them all at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise InvalidInput(dict(self))


def _aware(value: datetime | None) -> datetime | None:
    # A time without a zone is taken as local (Europe/Helsinki) time at the desk.
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _find_party(actor: User, party: Party | int | None, errors: _Errors) -> Party | None:
    """The customer named by id, among those the actor may read: one they may not read (an expert,
    another department's) is answered like one that does not exist."""
    if party is None or isinstance(party, Party):
        return party
    found = parties_visible_to(actor).filter(pk=party).first()
    if found is None:
        errors.add("party", _("No customer with this id."))
    return found


def _find_services(codes: Iterable[str], errors: _Errors) -> list[Service]:
    codes = list(dict.fromkeys(codes))
    found = {service.code: service for service in Service.objects.filter(code__in=codes)}
    for code in codes:
        if code not in found:
            errors.add("topics", _("Unknown code: %(code)s.") % {"code": code})
    return [found[code] for code in codes if code in found]


def _find_requests(references: Iterable[str | int], errors: _Errors) -> list[ServiceRequest]:
    """Requests by number ("ESI-2025-000123") or, for callers inside Aspa, by id."""
    references = list(dict.fromkeys(references))
    numbers = [r for r in references if isinstance(r, str)]
    ids = [r for r in references if isinstance(r, int)]
    found = list(ServiceRequest.objects.filter(number__in=numbers)) + list(ServiceRequest.objects.filter(pk__in=ids))
    known = {r.number for r in found} | {r.pk for r in found}
    for reference in references:
        if reference not in known:
            errors.add("requests", _("No service request %(number)s.") % {"number": reference})
    return list({r.pk: r for r in found}.values())


def _check_times(started_at, ended_at, errors: _Errors) -> None:
    if started_at is not None and started_at > timezone.now() + CLOCK_SKEW:
        errors.add("started_at", _("A contact cannot start in the future."))
    if started_at is not None and ended_at is not None and ended_at < started_at:
        errors.add("ended_at", _("The end must not be before the start."))


def _check_outcome(outcome: str, has_requests: bool, errors: _Errors) -> None:
    if outcome not in ("", *Outcome.values):
        errors.add("outcome", _("Must be one of: %(values)s.") % {"values": ", ".join(Outcome.values)})
    elif outcome in NEEDS_REQUEST and not has_requests:
        errors.add("requests", _("Link the service request that was filed or forwarded."))


@transaction.atomic
def record_contact(actor: User, *, channel: str, party: Party | int | None = None,
                   started_at: datetime | None = None, ended_at: datetime | None = None,
                   language: str = "fi", topics: Iterable[str] = (), outcome: str = "",
                   notes: str = "", requests: Iterable[str | int] = ()) -> Contact:
    """Record one contact by a staff member. Without a start time it starts now; without an
    end it is still going on (close it with update_contact)."""
    require_role(actor, STAFF)
    errors = _Errors()
    channel_found = Channel.objects.filter(code=channel).first()
    if channel_found is None:
        errors.add("channel", _("Unknown code: %(code)s.") % {"code": channel})
    party_found = _find_party(actor, party, errors)
    started_at = _aware(started_at) or timezone.now()
    ended_at = _aware(ended_at)
    _check_times(started_at, ended_at, errors)
    if language not in LANGUAGE_CODES:
        errors.add("language", _("Must be one of: %(values)s.") % {"values": ", ".join(LANGUAGE_CODES)})
    services = _find_services(topics, errors)
    references = list(requests)
    linked = _find_requests(references, errors)
    # Unknown references are reported on their own; they still count as "a request was named".
    _check_outcome(outcome, bool(references), errors)
    errors.raise_if_any()
    assert channel_found is not None  # for the type checker: a missing one was raised above

    contact = Contact.objects.create(
        channel=channel_found, party=party_found, staff=actor, started_at=started_at, ended_at=ended_at,
        language=language, outcome=outcome, notes=notes,
    )
    contact.topics.set(services)
    contact.requests.set(linked)
    if contact.party_id:
        record_audit(None, actor, AuditAction.CREATE, "contact", contact.pk, party_id=contact.party_id,
                     purpose="record_contact")
    return contact


def _may_correct(actor: User, contact: Contact) -> bool:
    return contact.staff_id == actor.pk or actor.role in MAY_CORRECT_ANY


@transaction.atomic
def update_contact(actor: User, contact: Contact, *, ended_at=UNCHANGED, outcome=UNCHANGED, notes=UNCHANGED,
                   topics=UNCHANGED, link_requests: Iterable[str | int] = (), channel=UNCHANGED,
                   party=UNCHANGED) -> Contact:
    """End a contact, set its outcome, correct its notes, topics, channel or customer, link more requests.

    Only the staff member who recorded it, a supervisor or an administrator may change it.
    Links to requests are only ever added: they are part of the customer's history."""
    require_role(actor, STAFF)
    if not _may_correct(actor, contact):
        raise Forbidden(_("Only the staff member who recorded the contact or a supervisor may change it."))
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    errors = _Errors()
    changed: list[str] = []
    if ended_at is not UNCHANGED:
        contact.ended_at = _aware(ended_at)
        changed.append("ended_at")
        _check_times(contact.started_at, contact.ended_at, errors)
    if outcome is not UNCHANGED:
        contact.outcome = outcome or ""
        changed.append("outcome")
    if notes is not UNCHANGED:
        contact.notes = notes or ""
        changed.append("notes")
    if channel is not UNCHANGED:
        channel_found = Channel.objects.filter(code=channel).first()
        if channel_found is None:
            errors.add("channel", _("Unknown code: %(code)s.") % {"code": channel})
        else:
            contact.channel = channel_found
            changed.append("channel")
    if party is not UNCHANGED:
        # The customer is often identified only during the contact; the contact takes their language.
        contact.party = _find_party(actor, party, errors)
        changed.append("party")
        if contact.party is not None:
            contact.language = contact.party.language
            changed.append("language")
    services = _find_services(topics or [], errors) if topics is not UNCHANGED else None
    references = list(link_requests)
    linked = _find_requests(references, errors)
    has_requests = bool(references) or contact.requests.exists()
    _check_outcome(contact.outcome, has_requests, errors)
    errors.raise_if_any()

    if changed:
        contact.save(update_fields=changed)
    if services is not None:
        contact.topics.set(services)
    if linked:
        contact.requests.add(*linked)
    if contact.party_id:
        record_audit(None, actor, AuditAction.UPDATE, "contact", contact.pk, party_id=contact.party_id,
                     purpose="update_contact")
    return contact


@transaction.atomic
def link_request(actor: User, contact: Contact, request: ServiceRequest | str | int) -> Contact:
    """Tie a contact to a service request it was about. Linking twice changes nothing."""
    reference = request.pk if isinstance(request, ServiceRequest) else request
    return update_contact(actor, contact, link_requests=[reference])


# ----------------------------------------------------------------- contact requests

# The form takes a moment to fill in: a contact-by time a minute in the past is still "now".
DUE_GRACE = timedelta(minutes=1)


def _collect(errors: _Errors, check, *args):
    """Run a validator that raises InvalidInput and keep its messages with the others."""
    try:
        return check(*args)
    except InvalidInput as problem:
        for name, messages in problem.fields.items():
            for message in messages if isinstance(messages, list) else [messages]:
                errors.add(name, message)
        return ""


def _who_calls(to_user: int | None, to_team: str | None, to_department: str | None,
               errors: _Errors) -> tuple[User | None, Team | None, Department | None]:
    """The person, team or department that contacts the customer; exactly one is named."""
    if sum(1 for target in (to_user, to_team, to_department) if target) != 1:
        errors.add("to", _("Choose exactly one: a person, a team or a department."))
        return None, None, None
    if to_user:
        user = User.objects.filter(pk=to_user, is_active=True, role__in=STAFF).exclude(role=Role.INTEGRATION) \
            .select_related("team", "department").first()
        if user is None:
            errors.add("to", _("No active staff member with this id."))
            return None, None, None
        return user, user.team, user.department
    if to_team:
        team = Team.objects.filter(code=to_team).select_related("department").first()
        if team is None:
            errors.add("to", _("Unknown code: %(code)s.") % {"code": to_team})
            return None, None, None
        return None, team, team.department
    department = Department.objects.filter(code=to_department).first()
    if department is None:
        errors.add("to", _("Unknown code: %(code)s.") % {"code": to_department})
    return None, None, department


def _party_has(party: Party, kind: str) -> bool:
    return ContactPoint.objects.filter(party=party, kind=kind).exclude(value="").exists()


@transaction.atomic
def create_contact_request(actor: User, *, about: str, due_at: datetime | None, party: Party | int | None = None,
                           contact_name: str = "", contact_phone: str = "", contact_email: str = "",
                           contact: Contact | None = None, service_request: ServiceRequest | None = None,
                           to_user: int | None = None, to_team: str | None = None, to_department: str | None = None,
                           preferred_channel: str = ContactRequest.PreferredChannel.PHONE,
                           language: str | None = None) -> ContactRequest:
    """Leave a request for a person, team or department to contact the customer by a given time
    (yhteydenottopyyntö). A known customer is named; an unknown caller leaves a name and a phone
    number or an email address, whichever way they want to be contacted."""
    require_role(actor, STAFF)
    errors = _Errors()
    party_found = _find_party(actor, party, errors)
    assignee, team, department = _who_calls(to_user, to_team, to_department, errors)
    about = (about or "").strip()
    if not about:
        errors.add("about", _("This field is required."))
    due_at = _aware(due_at)
    if due_at is None:
        errors.add("due_at", _("This field is required."))
    elif due_at < timezone.now() - DUE_GRACE:
        errors.add("due_at", _("The contact-by time cannot be in the past."))
    if preferred_channel not in ContactRequest.PreferredChannel.values:
        errors.add("preferred_channel", _("Must be one of: %(values)s.")
                   % {"values": ", ".join(ContactRequest.PreferredChannel.values)})
    contact_name = (contact_name or "").strip()[:200]
    phone = _collect(errors, normalise_phone, contact_phone, "contact_phone") if (contact_phone or "").strip() else ""
    email = _collect(errors, normalise_email, contact_email, "contact_email") if (contact_email or "").strip() else ""
    if party_found is None and not errors.get("party"):
        if not contact_name:
            errors.add("contact_name", _("Give the caller's name, or pick the customer."))
        if preferred_channel == ContactRequest.PreferredChannel.PHONE and not phone and "contact_phone" not in errors:
            errors.add("contact_phone", _("Give a phone number to call back."))
        if preferred_channel == ContactRequest.PreferredChannel.EMAIL and not email and "contact_email" not in errors:
            errors.add("contact_email", _("Give an email address to answer to."))
    elif party_found is not None:
        # The expert must be able to reach the customer the way that was promised.
        wanted = {"phone": (ContactPoint.Kind.PHONE, phone), "email": (ContactPoint.Kind.EMAIL, email)}
        kind, given = wanted.get(preferred_channel, (None, ""))
        if kind and not given and not _party_has(party_found, kind):
            errors.add("preferred_channel", _("The customer has no %(channel)s in the register; give one.")
                       % {"channel": ContactRequest.PreferredChannel(preferred_channel).label})
    if language and language not in LANGUAGE_CODES:
        errors.add("language", _("Must be one of: %(values)s.") % {"values": ", ".join(LANGUAGE_CODES)})
    errors.raise_if_any()
    assert due_at is not None  # for the type checker: a missing one was raised above

    contact_request = ContactRequest.objects.create(
        party=party_found, contact_name=contact_name, contact_phone=phone, contact_email=email, contact=contact,
        service_request=service_request, assignee=assignee, team=team, department=department, about=about,
        due_at=due_at, preferred_channel=preferred_channel,
        language=language or (party_found.language if party_found is not None else "fi"), created_by=actor,
    )
    if party_found is not None:
        record_audit(None, actor, AuditAction.CREATE, "contact_request", contact_request.pk, party_id=party_found.pk,
                     purpose="create_contact_request")
    return contact_request


def _close_contact_request(actor: User, contact_request: ContactRequest, status: str, note: str) -> ContactRequest:
    require_role(actor, STAFF)
    contact_request = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    if not may_handle_contact_request(actor, contact_request):
        raise Forbidden(_("Only the one this contact request was left for, or a supervisor, may close it."))
    if contact_request.status != ContactRequest.Status.OPEN:
        raise Conflict(_("This contact request is already done or cancelled."), code="not_open")
    contact_request.status = status
    contact_request.done_at = timezone.now()
    contact_request.done_by = actor
    contact_request.outcome_note = (note or "").strip()
    contact_request.save(update_fields=["status", "done_at", "done_by", "outcome_note"])
    if contact_request.party_id:
        record_audit(None, actor, AuditAction.UPDATE, "contact_request", contact_request.pk,
                     party_id=contact_request.party_id, purpose=f"{status}_contact_request")
    return contact_request


@transaction.atomic
def complete_contact_request(actor: User, contact_request: ContactRequest, *, outcome_note: str = "") -> ContactRequest:
    """The customer was contacted: the request is done, with a note of how it went."""
    return _close_contact_request(actor, contact_request, ContactRequest.Status.DONE, outcome_note)


@transaction.atomic
def cancel_contact_request(actor: User, contact_request: ContactRequest, *, reason: str = "") -> ContactRequest:
    """No contact is needed after all (the customer called again, the matter was settled)."""
    return _close_contact_request(actor, contact_request, ContactRequest.Status.CANCELLED, reason)


# ----------------------------------------------------------------- ending a contact at the desk


@dataclass
class ContactSummary:
    """What the advisor recorded about a contact, whatever its outcome."""

    channel: str
    party: int | None
    topics: list[str] = field(default_factory=list)
    notes: str = ""
    # An unknown caller's details, for the request and the contact request.
    caller_name: str = ""
    caller_phone: str = ""
    caller_email: str = ""


def _lock_open_contact(actor: User, contact: Contact) -> Contact:
    """The contact, locked, if it is still going on: a second submit must not file a second request."""
    require_role(actor, STAFF)
    if not _may_correct(actor, contact):
        raise Forbidden(_("Only the staff member who recorded the contact or a supervisor may change it."))
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.ended_at is not None:
        raise Conflict(_("This contact has already ended."), code="contact_ended")
    return locked


def _end(actor: User, contact: Contact, summary: ContactSummary, outcome: str,
         service_request: ServiceRequest | None = None) -> Contact:
    if not summary.topics:
        raise InvalidInput({"topics": [_("Pick at least one topic.")]})
    return update_contact(actor, contact, ended_at=timezone.now(), outcome=outcome, notes=summary.notes,
                          topics=summary.topics, channel=summary.channel, party=summary.party,
                          link_requests=[service_request.pk] if service_request is not None else [])


def _file_from(actor: User, summary: ContactSummary, request_type: str) -> ServiceRequest:
    """A service request pre-filled from the contact: its customer, channel, first topic and notes."""
    if not summary.topics:
        raise InvalidInput({"topics": [_("Pick at least one topic.")]})
    return request_operations.file_request(
        actor, type=request_type, channel=summary.channel, description=summary.notes, service=summary.topics[0],
        party=summary.party, contact_name=summary.caller_name if summary.party is None else "",
        contact_email=summary.caller_email if summary.party is None else "",
        contact_phone=summary.caller_phone if summary.party is None else "",
    )


@transaction.atomic
def answer_contact(actor: User, contact: Contact, summary: ContactSummary) -> Contact:
    """Answered and closed: resolved at first contact."""
    contact = _lock_open_contact(actor, contact)
    return _end(actor, contact, summary, Outcome.ANSWERED)


@transaction.atomic
def file_request_from_contact(actor: User, contact: Contact, summary: ContactSummary, *,
                              request_type: str) -> ServiceRequest:
    """File a service request for the customer from the contact, link them, and end the contact."""
    contact = _lock_open_contact(actor, contact)
    service_request = _file_from(actor, summary, request_type)
    _end(actor, contact, summary, Outcome.REQUEST_FILED, service_request)
    return service_request


@transaction.atomic
def forward_from_contact(actor: User, contact: Contact, summary: ContactSummary, *, request_type: str,
                         about: str, due_at: datetime | None, to_user: int | None = None, to_team: str | None = None,
                         to_department: str | None = None,
                         preferred_channel: str = ContactRequest.PreferredChannel.PHONE) -> ContactRequest:
    """File a request, forward it to a person, team or department, and leave them a contact request:
    the centre never transfers the call."""
    contact = _lock_open_contact(actor, contact)
    target: dict[str, Any] = {"to_user": to_user, "to_team": to_team, "to_department": to_department}
    # The contact request is checked first: its errors are the ones the advisor fixes on this screen.
    contact_request = create_contact_request(
        actor, about=about, due_at=due_at, party=summary.party, contact_name=summary.caller_name,
        contact_phone=summary.caller_phone, contact_email=summary.caller_email, contact=contact,
        preferred_channel=preferred_channel, **target)
    service_request = _file_from(actor, summary, request_type)
    request_operations.forward(actor, service_request, version=service_request.version, note=about,
                               channel=summary.channel, **target)
    ContactRequest.objects.filter(pk=contact_request.pk).update(service_request=service_request)
    contact_request.service_request = service_request
    _end(actor, contact, summary, Outcome.FORWARDED, service_request)
    return contact_request


@transaction.atomic
def redirect_from_contact(actor: User, contact: Contact, summary: ContactSummary, *, request_type: str,
                          organisation: str, guidance: str, message: str = "") -> ServiceRequest:
    """Guide the customer elsewhere. A request is filed and redirected at once, so the redirection
    is recorded and reported like any other; the optional message is emailed to the customer."""
    contact = _lock_open_contact(actor, contact)
    if not (organisation or "").strip():
        raise InvalidInput({"organisation": [_("This field is required.")]})
    if not (guidance or "").strip():
        raise InvalidInput({"guidance": [_("This field is required.")]})
    service_request = _file_from(actor, summary, request_type)
    request_operations.redirect(actor, service_request, version=service_request.version, guidance=guidance,
                                organisation=organisation, message=message, channel=summary.channel)
    _end(actor, contact, summary, Outcome.REDIRECTED, service_request)
    return service_request
