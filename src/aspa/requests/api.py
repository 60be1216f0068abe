"""/api/v1/requests: service requests, their history, messages, attachments and actions.

Handlers parse, call one query or operation, and serialise. Staff reads of a request that
belongs to a person are written to the audit log by the queries they read through (the reader)."""

import datetime
from typing import Literal

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja import Status as Reply

from aspa.api.pagination import Page, ordering, paginate
from aspa.audit.reads import Reader
from aspa.errors import InvalidInput
from aspa.identity.access import is_staff
from aspa.requests import operations, queries
from aspa.requests.models import Attachment, Message, RequestEvent, ServiceRequest, Status
from aspa.requests.operations import ALLOWED_ACTIONS, Action

router = Router(tags=["requests"])

SORTABLE = {"created_at": "created_at", "due_date": "due_date", "number": "number", "status": "status"}


# ----------------------------------------------------------------- schemas


class Contact(Schema):
    name: str = ""
    email: str = ""
    phone: str = ""


class ContactPatch(Schema):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class RequestOut(Schema):
    id: int
    number: str
    status: str
    type: str
    service: str | None
    department: str | None
    product: str | None
    channel: str
    party: int | None
    co_parties: list[int]
    description: str
    language: str
    due_date: datetime.date
    overdue: bool
    waiting_since: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    assignee: int | None
    assignee_name: str | None
    team: str | None
    forwarded: bool
    forwarded_to: str | None
    followed_by: str | None
    redirected_to: str | None
    guidance: str
    resolution: str
    resolved_at_first_contact: bool | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    version: int
    contact: Contact
    allowed_actions: list[str]
    routing_pending: bool = Field(..., description=(
        "True while the request is being routed: just filed or reclassified, the routing rules, the "
        "classifier and the service's process have not yet run (usually well under a second)."))


class FileIn(Schema):
    type: str
    channel: str
    description: str
    service: str | None = None
    product: str | None = None
    department: str | None = None
    language: str | None = None
    party: int | None = None
    co_parties: list[int] = []
    contact: Contact | None = None


class PatchIn(Schema):
    version: int
    description: str | None = None
    language: str | None = None
    contact: ContactPatch | None = None


class ActionIn(Schema):
    action: Literal["classify", "take", "assign", "request_information", "provide_information", "forward",
                    "redirect", "resolve", "reopen", "close"]
    version: int
    channel: str = ""
    service: str | None = None
    department: str | None = None
    product: str | None = None
    assignee: int | None = None
    team: str | None = None
    question: str | None = None
    answer: str | None = None
    to_user: int | None = None
    to_team: str | None = None
    to_department: str | None = None
    to_organisation: str | None = None
    note: str = ""
    due_date: datetime.date | None = None
    organisation: str | None = None
    guidance: str | None = None
    message: str = ""
    resolution: str | None = None
    first_contact: bool = False
    reason: str | None = None


class EventOut(Schema):
    id: int
    kind: str
    at: datetime.datetime
    actor: str
    channel: str
    from_status: str
    to_status: str
    data: dict


class MessageIn(Schema):
    body: str
    visibility: Literal["internal", "customer"] | None = None


class MessageOut(Schema):
    id: int
    visibility: str
    body: str
    author: str
    from_customer: bool
    created_at: datetime.datetime


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    visible_to_customer: bool
    is_decision: bool
    created_at: datetime.datetime


# ----------------------------------------------------------------- serialisers


def _code(item) -> str | None:
    return item.code if item is not None else None


def _request_out(service_request: ServiceRequest) -> dict:
    assignee = service_request.assignee
    return {
        "id": service_request.pk,
        "number": service_request.number,
        "status": service_request.status,
        "type": service_request.type.code,
        "service": _code(service_request.service),
        "department": _code(service_request.department),
        "product": _code(service_request.product),
        "channel": service_request.channel.code,
        "party": service_request.party_id,
        "co_parties": sorted(party.pk for party in service_request.co_parties.all()),
        "description": service_request.description,
        "language": service_request.language,
        "due_date": service_request.due_date,
        "overdue": queries.is_overdue(service_request),
        "waiting_since": service_request.waiting_since,
        "created_at": service_request.created_at,
        "updated_at": service_request.updated_at,
        "assignee": service_request.assignee_id,
        "assignee_name": (assignee.get_full_name() or assignee.get_username()) if assignee else None,
        "team": _code(service_request.team),
        "forwarded": service_request.forwarded_at is not None,
        "forwarded_to": _code(service_request.forwarded_to),
        "followed_by": _code(service_request.followed_by),
        "redirected_to": _code(service_request.redirected_to),
        "guidance": service_request.guidance,
        "resolution": service_request.resolution,
        "resolved_at_first_contact": service_request.resolved_at_first_contact,
        "resolved_at": service_request.resolved_at,
        "closed_at": service_request.closed_at,
        "version": service_request.version,
        "contact": {"name": service_request.contact_name, "email": service_request.contact_email,
                    "phone": service_request.contact_phone},
        "allowed_actions": sorted(action.value for action in ALLOWED_ACTIONS[service_request.status]
                                  if action != Action.EDIT),
        "routing_pending": queries.is_being_routed(service_request),
    }


def _event_out(event: RequestEvent, full: bool) -> dict:
    # Residents see what happened and when, not who on the staff did it or the internal details.
    return {"id": event.pk, "kind": event.kind, "at": event.at,
            "actor": event.actor_label if full else "", "channel": event.channel,
            "from_status": event.from_status, "to_status": event.to_status, "data": event.data if full else {}}


def _message_out(message: Message) -> dict:
    return {"id": message.pk, "visibility": message.visibility, "body": message.body,
            "author": message.author_label, "from_customer": message.from_customer, "created_at": message.created_at}


def _attachment_out(attachment: Attachment) -> dict:
    return {"id": attachment.pk, "name": attachment.original_name, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256,
            "visible_to_customer": attachment.visible_to_customer, "is_decision": attachment.is_decision,
            "created_at": attachment.created_at}


def _read(http_request: HttpRequest, request_id: str) -> ServiceRequest:
    """The request, for an answer that shows it: a staff caller's read is audited."""
    return queries.get_request_for(Reader.of(http_request), request_id)


def _get_to_change(http_request: HttpRequest, request_id: str) -> ServiceRequest:
    """The request that a write acts on. Not audited as a read, as before: the answer echoes what
    the caller has just written, and the operation records the change in the request's history."""
    return queries.get_request_for(Reader.unaudited(http_request.auth), request_id)  # type: ignore[attr-defined]


# ----------------------------------------------------------------- requests


@router.get("", response=Page, summary="Service requests the caller may see")
def list_requests(request, status: Query[list[str] | None] = None, service: str | None = None,
                  department: str | None = None, channel: str | None = None, party: int | None = None,
                  type: str | None = None, assignee: str | None = None, team: str | None = None,
                  created_from: datetime.date | None = None, created_to: datetime.date | None = None,
                  due_before: datetime.date | None = None, overdue: bool | None = None, q: str | None = None,
                  sort: str | None = None, page: int = 1, page_size: int = 50):
    statuses = [part for value in (status or []) for part in value.split(",") if part]
    unknown = sorted(set(statuses) - set(Status.values))
    if unknown:
        raise InvalidInput({"status": [_("Unknown status: %(status)s.") % {"status": ", ".join(unknown)}]})
    filters = queries.RequestFilters(
        status=statuses, service=service, department=department, channel=channel, party=party, type=type,
        assignee=assignee, team=team, created_from=created_from, created_to=created_to, due_before=due_before,
        overdue=overdue, q=q,
    )
    # The page of rows fetched is what the audit log records.
    found = queries.list_requests(Reader.of(request), filters, ordering(sort, SORTABLE, "-created_at"))
    return paginate(found, page, page_size, _request_out)


@router.post("", response={201: RequestOut}, summary="File a service request")
def file_request(request, payload: FileIn):
    contact = payload.contact or Contact()
    service_request = operations.file_request(
        request.auth, type=payload.type, channel=payload.channel, description=payload.description,
        service=payload.service, product=payload.product, department=payload.department,
        language=payload.language, party=payload.party, co_parties=payload.co_parties,
        contact_name=contact.name, contact_email=contact.email, contact_phone=contact.phone,
    )
    # The operation's object already holds its catalogue entries and party: no second read.
    return Reply(201, _request_out(service_request))


@router.get("/{request_id}", response=RequestOut, summary="One service request, by id or number")
def get_request(request, request_id: str):
    service_request = _read(request, request_id)
    return _request_out(service_request)


@router.patch("/{request_id}", response=RequestOut, summary="Correct the description, language or contact details")
def update_request(request, request_id: str, payload: PatchIn):
    service_request = _get_to_change(request, request_id)
    contact = payload.contact or ContactPatch()
    operations.update_details(
        request.auth, service_request, version=payload.version, description=payload.description,
        language=payload.language, contact_name=contact.name, contact_email=contact.email,
        contact_phone=contact.phone,
    )
    return _request_out(service_request)


# Which fields of the action body each operation takes (besides version and channel).
ACTION_FIELDS: dict[str, tuple] = {
    Action.CLASSIFY: (operations.classify, ("service", "department", "product")),
    Action.TAKE: (operations.take, ()),
    Action.ASSIGN: (operations.assign, ("assignee", "team")),
    Action.REQUEST_INFORMATION: (operations.request_information, ("question",)),
    Action.PROVIDE_INFORMATION: (operations.provide_information, ("answer",)),
    Action.FORWARD: (operations.forward, ("to_user", "to_team", "to_department", "to_organisation", "note",
                                          "due_date")),
    Action.REDIRECT: (operations.redirect, ("guidance", "organisation", "message")),
    Action.RESOLVE: (operations.resolve, ("resolution", "first_contact")),
    Action.REOPEN: (operations.reopen, ("reason",)),
    Action.CLOSE: (operations.close, ()),
}


@router.post("/{request_id}/actions", response=RequestOut, summary="Move a request along its life cycle")
def run_action(request, request_id: str, payload: ActionIn):
    service_request = _get_to_change(request, request_id)
    operation, fields = ACTION_FIELDS[payload.action]
    operation(request.auth, service_request, version=payload.version, channel=payload.channel,
              **{name: getattr(payload, name) for name in fields})
    if payload.action == Action.CLASSIFY:
        # Routing follows a reclassification after its commit: the answer shows the request as it
        # is now, routed already or `routing_pending`.
        service_request = _get_to_change(request, request_id)
    return _request_out(service_request)


# ----------------------------------------------------------------- history, messages, attachments


@router.get("/{request_id}/events", response=list[EventOut], summary="The request's history, oldest first")
def list_events(request, request_id: str):
    service_request = _read(request, request_id)
    full = is_staff(request.auth)
    return [_event_out(event, full) for event in queries.events_of(request.auth, service_request)]


@router.get("/{request_id}/messages", response=list[MessageOut], summary="Messages of the request")
def list_messages(request, request_id: str):
    service_request = _read(request, request_id)
    return [_message_out(message) for message in queries.messages_of(request.auth, service_request)]


@router.post("/{request_id}/messages", response={201: MessageOut}, summary="Write a message or an internal note")
def add_message(request, request_id: str, payload: MessageIn):
    service_request = _get_to_change(request, request_id)
    message = operations.add_message(request.auth, service_request, body=payload.body,
                                     visibility=payload.visibility)
    return Reply(201, _message_out(message))


@router.get("/{request_id}/attachments", response=list[AttachmentOut], summary="Attachments of the request")
def list_attachments(request, request_id: str):
    service_request = _read(request, request_id)
    return [_attachment_out(item) for item in queries.attachments_of(request.auth, service_request)]


@router.post("/{request_id}/attachments", response={201: AttachmentOut}, summary="Upload an attachment")
def add_attachment(request, request_id: str, file: File[UploadedFile], visible_to_customer: Form[bool] = True,
                   is_decision: Form[bool] = False):
    """`is_decision` (staff only) puts the file in the resident's document bank; it must be visible to them."""
    service_request = _get_to_change(request, request_id)
    attachment = operations.add_attachment(request.auth, service_request, file,
                                           visible_to_customer=visible_to_customer, is_decision=is_decision)
    return Reply(201, _attachment_out(attachment))


@router.get("/{request_id}/attachments/{attachment_id}", summary="Download an attachment")
def download_attachment(request, request_id: str, attachment_id: int):
    service_request = _read(request, request_id)
    attachment = queries.get_attachment_for(request.auth, service_request, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)
