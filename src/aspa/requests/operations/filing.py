"""Filing a new request (vireillepano): checked, numbered, with its service-level due date and
its first history entry."""


from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.catalogue.queries import by_code, service_centre
from aspa.customers import mandates
from aspa.customers.models import Party
from aspa.customers.queries import parties_visible_to
from aspa.customers.validation import normalise_email, normalise_phone
from aspa.errors import Forbidden, InvalidInput
from aspa.identity.access import is_staff
from aspa.identity.models import Role, User
from aspa.requests import assignment, events
from aspa.requests.models import Attachment, RequestCounter, ServiceRequest, Status
from aspa.requests.operations.messages import add_attachment
from aspa.requests.operations.shared import (
    _check_product,
    _check_service_accepts,
    _clean_language,
    _code,
    _optional_contact,
    _record,
    _required_text,
)
from aspa.requests.workdays import due_date_for


def run_after_filing_now(service_request: ServiceRequest) -> bool:
    """Run the request's after-filing pipeline now, in this process, unless a worker already holds
    it: the desk's own filing, so the advisor sees where the request went. After the commit only.
    True when nothing is left pending."""
    return events.settle(service_request)


# One statement for SQLite and PostgreSQL alike (Django's update() cannot return the new value).
NEXT_NUMBER = 'UPDATE "requests_requestcounter" SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"'


def _next_number(year: int) -> str:
    """The next request number of the year, in one statement. The UPDATE locks the counter row
    until the filing commits, so two concurrent filings never get the same number."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_NUMBER, [year])
        row = cursor.fetchone()
    if row is None:
        # First request of the year; get_or_create survives a concurrent first filing.
        RequestCounter.objects.get_or_create(year=year)
        return _next_number(year)
    return f"{settings.REQUEST_NUMBER_PREFIX}-{year}-{row[0]:06d}"


@transaction.atomic
def file_request(actor: User, *, type: str, channel: str, description: str, service: str | None = None,
                 language: str | None = None, party: int | None = None, co_parties: list[int] | None = None,
                 contact_name: str = "", contact_email: str = "", contact_phone: str = "",
                 product: str | None = None, department: str | None = None, team: str | None = None,
                 attachments: list | None = None, receipt: bool | None = None) -> ServiceRequest:
    """File a new request (vireillepano): numbered, received, with its service-level due date.

    Filed for a team, it goes to the team's department and the team's own rule (round robin,
    least loaded) picks its handler; a manual team leaves it waiting in the team's queue.

    The transaction writes the request, its `filed` history entry and one outbox event, and
    nothing else: routing, the process, the receipt and the staff's notice follow from the event
    after the commit (aspa.after_filing). `receipt`: whether the customer is sent a receipt; by
    default when a resident files themselves (staff tell the customer the number in the contact,
    and an electronic form sends its own receipt with the answers)."""
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
        department_entry = service_entry.department if service_entry is not None else service_centre()

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
    stored: list[Attachment] = []
    try:
        for upload in attachments or []:
            stored.append(add_attachment(actor, service_request, upload, channel=channel_entry.code))
    except Exception:
        # The whole filing rolls back, so the files already written must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    events.filed(service_request, actor, receipt=actor.role == Role.RESIDENT if receipt is None else receipt)
    # What the caller shows of this object is the request as filed, before the pipeline (which
    # may run before the caller answers, when the workers are behind): being routed.
    setattr(service_request, "routing_pending", True)  # noqa: B010 (read as an annotation is)
    return service_request

