"""Recording contacts: every interaction with a customer on every channel (palvelutapahtuma)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.api.errors import Forbidden, InvalidInput
from aspa.audit.models import AuditAction
from aspa.audit.operations import record as record_audit
from aspa.catalogue.models import Channel, Service
from aspa.contacts.models import Contact, Outcome
from aspa.customers.models import Party
from aspa.identity.access import STAFF, require_role
from aspa.identity.models import Role, User
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


def _find_party(party: Party | int | None, errors: _Errors) -> Party | None:
    if party is None or isinstance(party, Party):
        return party
    found = Party.objects.filter(pk=party).first()
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
    party_found = _find_party(party, errors)
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
                   topics=UNCHANGED, link_requests: Iterable[str | int] = ()) -> Contact:
    """End a contact, set its outcome, correct its notes or topics, link more requests.

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
