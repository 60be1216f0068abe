"""/api/v1/contacts: every interaction with a customer, recorded at the desk, on the phone or
by an integration (the contact-centre system)."""

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from aspa.api.auth import AuthenticatedRequest
from aspa.api.pagination import ordering, paginate
from aspa.audit.reads import Reader
from aspa.contacts import operations, queries
from aspa.contacts.models import Contact
from aspa.identity.access import STAFF, is_staff, require_role
from aspa.identity.models import Role

router = Router(tags=["contacts"])

READERS = (*STAFF, Role.RESIDENT)
SORTABLE = {"started_at": "started_at", "ended_at": "ended_at", "created_at": "created_at",
            "channel": "channel__code", "outcome": "outcome"}


class ContactIn(Schema):
    channel: str = Field(description="Channel code, for example phone or service_point.")
    party: int | None = Field(None, description="The customer's id; empty for an anonymous contact.")
    started_at: datetime | None = Field(None, description="Defaults to now. A time without a zone is Finnish time.")
    ended_at: datetime | None = None
    language: str = Field("fi", max_length=2)
    topics: list[str] = Field([], description="Service codes the contact was about.")
    outcome: str = Field("", description="answered, request_filed, forwarded, redirected or no_answer.")
    notes: str = Field("", max_length=10000)
    requests: list[str] = Field([], description="Numbers of the service requests the contact was about.")


class ContactPatch(Schema):
    ended_at: datetime | None = None
    outcome: str | None = None
    notes: str | None = Field(None, max_length=10000)
    topics: list[str] | None = None
    link_requests: list[str] = Field([], description="Request numbers to link; existing links are kept.")


class ContactOut(Schema):
    id: int
    channel: str
    party: int | None
    staff: str | None = Field(description="Username of the staff member; hidden from residents.")
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    language: str
    topics: list[str]
    outcome: str
    notes: str | None = Field(description="Internal notes; hidden from residents.")
    requests: list[str]
    created_at: datetime


class ContactPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ContactOut]


def _serialize(contact: Contact, for_staff: bool) -> dict:
    duration = None
    if contact.ended_at is not None:
        duration = int((contact.ended_at - contact.started_at).total_seconds())
    return {
        "id": contact.pk,
        "channel": contact.channel.code,
        "party": contact.party_id,
        "staff": contact.staff.username if for_staff and contact.staff else None,
        "started_at": contact.started_at,
        "ended_at": contact.ended_at,
        "duration_seconds": duration,
        "language": contact.language,
        # topic_list and request_list come from contacts.queries' prefetches (to_attr).
        "topics": sorted(service.code for service in contact.topic_list),  # type: ignore[attr-defined]
        "outcome": contact.outcome,
        "notes": contact.notes if for_staff else None,
        "requests": sorted(request.number for request in contact.request_list),  # type: ignore[attr-defined]
        "created_at": contact.created_at,
    }


def _reload(request: AuthenticatedRequest, contact_id: int) -> dict:
    """The contact as the caller has just written it. Not audited as a read, as before: the answer
    echoes the caller's own write."""
    contact = queries.get_contact_for(Reader.unaudited(request.auth), contact_id)
    return _serialize(contact, is_staff(request.auth))


@router.get("", response=ContactPage, summary="List contacts")
def list_contacts(request, page: int = 1, page_size: int = 50, sort: str | None = None,
                  party: int | None = None, channel: str | None = None, staff: str | None = None,
                  outcome: str | None = None, date_from: date | None = None, date_to: date | None = None,
                  topic: str | None = None):
    require_role(request.auth, READERS)
    # A staff caller's read of the page of contacts fetched is written to the audit log.
    contacts = queries.list_contacts(
        Reader.of(request), party=party, channel=channel, staff=staff, outcome=outcome,
        date_from=date_from, date_to=date_to, topic=topic,
        order_by=ordering(sort, SORTABLE, "-started_at"),
    )
    for_staff = is_staff(request.auth)
    return paginate(contacts, page, page_size, lambda contact: _serialize(contact, for_staff))


@router.post("", response={201: ContactOut}, summary="Record a contact")
def create_contact(request, payload: ContactIn):
    contact = operations.record_contact(request.auth, **payload.dict())
    return Status(201, _reload(request, contact.pk))


@router.get("/{int:contact_id}", response=ContactOut, summary="One contact")
def get_contact(request, contact_id: int):
    require_role(request.auth, READERS)
    contact = queries.get_contact_for(Reader.of(request), contact_id)
    return _serialize(contact, is_staff(request.auth))


@router.patch("/{int:contact_id}", response=ContactOut, summary="End a contact, set its outcome, link requests")
def update_contact(request, contact_id: int, payload: ContactPatch):
    require_role(request.auth, STAFF)
    # The contact that the change acts on; the answer (_reload) echoes the write: neither is a read to audit.
    contact = queries.get_contact_for(Reader.unaudited(request.auth), contact_id)
    changes = payload.dict(exclude_unset=True)
    operations.update_contact(request.auth, contact, **changes)
    return _reload(request, contact_id)
