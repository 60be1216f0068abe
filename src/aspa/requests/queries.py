"""Reading service requests, always through who may see them.

CENTRE_WIDE roles see every request; an expert sees the requests of their department
(including those it forwarded and still follows), of their team, assigned to them or filed
by them;
a resident sees only their own."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from aspa.audit.reads import AuditRow, Reader
from aspa.catalogue.queries import by_code
from aspa.customers import mandates
from aspa.customers.models import Party
from aspa.errors import NotFound
from aspa.identity.access import CENTRE_WIDE
from aspa.identity.models import Role, User
from aspa.requests import events
from aspa.requests.models import (
    OPEN_STATUSES,
    Attachment,
    Message,
    RequestEvent,
    RequestViewer,
    ServiceRequest,
    Status,
)

# Statuses in which the service-level clock runs: waiting for the customer stops it.
CLOCK_RUNNING = [Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED]

# Joined: what every row shows. Prefetched: relations that are mostly empty. Joining all twelve
# made PostgreSQL hand the plan to its genetic optimiser, and planning alone took 60-130 ms.
LIST_RELATED = ("type", "channel", "service", "department", "party", "assignee")
LIST_PREFETCH = ("product", "team", "forwarded_to", "redirected_to", "followed_by", "co_parties")


def visible_requests(user: User) -> QuerySet[ServiceRequest]:
    requests = ServiceRequest.objects.all()
    if not user.is_authenticated or not user.is_active:
        return requests.none()
    if user.role in CENTRE_WIDE:
        return requests
    if user.role == Role.EXPERT:
        # Their own filings too: whoever files a request gets its answer and can follow it.
        scope = Q(assignee=user) | Q(created_by=user)
        if user.department_id is not None:
            scope |= Q(department_id=user.department_id) | Q(followed_by_id=user.department_id)
        if user.team_id is not None:
            scope |= Q(team_id=user.team_id)
        return requests.filter(scope)
    if user.role == Role.RESIDENT and user.party_id is not None:
        # Their own, and those of the organisations they hold a valid mandate for.
        return requests.filter(party_id__in=mandates.represented_party_ids(user.party_id))
    return requests.none()


def visible_request_ids(user: User, ids) -> set[int]:
    """Which of the request ids `ids` the user may open (a contact may mention someone else's)."""
    return set(visible_requests(user).filter(pk__in=ids).values_list("pk", flat=True))


def audit_row(service_request: ServiceRequest) -> AuditRow:
    """A request is a person's data when its customer is a person (needs `party` fetched with it)."""
    party = service_request.party
    if party is None or party.kind != Party.Kind.PERSON:
        return None
    return service_request.pk, party.pk


def get_request_for(reader: Reader, id_or_number: int | str) -> ServiceRequest:
    """The request by its id or its number, if the reader may see it; otherwise 404. A staff
    reader's read of a person's request is written to the audit log."""
    key = str(id_or_number).strip()
    if "\x00" in key:
        raise NotFound()  # no number holds one, and PostgreSQL refuses to even compare it
    requests = visible_requests(reader.user).select_related(*LIST_RELATED).prefetch_related(*LIST_PREFETCH)
    # isdigit() would let "¹²" through to int(), which refuses it (a 500, found by fuzzing).
    by_id = key.isascii() and key.isdecimal()
    found = requests.filter(pk=int(key)).first() if by_id else requests.filter(number=key.upper()).first()
    if found is None:
        raise NotFound()
    reader.read("service_request", [found], audit_row)
    return found


@dataclass
class RequestFilters:
    status: list[str] = field(default_factory=list)
    service: str | None = None
    department: str | None = None
    channel: str | None = None
    party: int | None = None
    type: str | None = None
    assignee: str | None = None  # a user id or "me"
    team: str | None = None
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    due_before: datetime.date | None = None
    overdue: bool | None = None
    q: str | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def list_requests(reader: Reader, filters: RequestFilters | None = None,
                  order_by: list[str] | None = None) -> QuerySet[ServiceRequest]:
    """The requests the reader may see, filtered; one query for any number of rows. The rows
    fetched (a page of it) are written to the audit log when a staff reader reads them."""
    filters = filters or RequestFilters()
    user = reader.user
    requests = visible_requests(user).select_related(*LIST_RELATED).prefetch_related(*LIST_PREFETCH)
    if filters.status:
        requests = requests.filter(status__in=filters.status)
    # An unknown code is a mistake to report (422), not a filter that silently matches nothing.
    if filters.service:
        requests = requests.filter(service=by_code("service", filters.service, "service"))
    if filters.department:
        requests = requests.filter(department=by_code("department", filters.department, "department"))
    if filters.channel:
        requests = requests.filter(channel=by_code("channel", filters.channel, "channel"))
    if filters.party is not None:
        requests = requests.filter(party_id=filters.party)
    if filters.type:
        requests = requests.filter(type=by_code("type", filters.type, "type"))
    if filters.assignee:
        if filters.assignee == "me":
            requests = requests.filter(assignee_id=user.pk)
        elif filters.assignee.isdigit():
            requests = requests.filter(assignee_id=int(filters.assignee))
        else:
            requests = requests.filter(assignee__username=filters.assignee)
    if filters.team:
        requests = requests.filter(team=by_code("team", filters.team, "team"))
    if filters.created_from:
        requests = requests.filter(created_at__gte=_start_of(filters.created_from))
    if filters.created_to:
        # Inclusive: the whole last day counts.
        requests = requests.filter(created_at__lt=_start_of(filters.created_to + datetime.timedelta(days=1)))
    if filters.due_before:
        requests = requests.filter(due_date__lt=filters.due_before)
    if filters.overdue is not None:
        late = Q(status__in=CLOCK_RUNNING, due_date__lt=timezone.localdate())
        requests = requests.filter(late) if filters.overdue else requests.exclude(late)
    if filters.q:
        requests = requests.filter(number__icontains=filters.q.strip())
    if order_by:
        requests = requests.order_by(*order_by)
    requests = requests.annotate(routing_pending=events.routing_pending_annotation())
    return reader.reading(requests, "service_request", audit_row)


def is_being_routed(service_request: ServiceRequest) -> bool:
    """Just filed or reclassified, and the after-filing pipeline has not yet routed it."""
    return events.routing_pending(service_request)


def is_overdue(service_request: ServiceRequest) -> bool:
    return service_request.status in CLOCK_RUNNING and service_request.due_date < timezone.localdate()


def events_of(user: User, service_request: ServiceRequest) -> QuerySet[RequestEvent]:
    events = service_request.events.order_by("at", "id")
    if user.role == Role.RESIDENT:
        # The customer sees the history of their request, not the staff's internal notes.
        events = (events.exclude(kind="message_added", data__visibility=Message.Visibility.INTERNAL)
                  .exclude(kind="attachment_added", data__visible_to_customer=False))
    return events


def messages_of(user: User, service_request: ServiceRequest) -> QuerySet[Message]:
    messages = service_request.messages.order_by("created_at", "id")
    if user.role == Role.RESIDENT:
        messages = messages.filter(visibility=Message.Visibility.CUSTOMER)
    return messages


def attachments_of(user: User, service_request: ServiceRequest) -> QuerySet[Attachment]:
    attachments = service_request.attachments.order_by("created_at", "id")
    if user.role == Role.RESIDENT:
        attachments = attachments.filter(visible_to_customer=True)
    return attachments


def get_attachment_for(user: User, service_request: ServiceRequest, attachment_id: int) -> Attachment:
    found = attachments_of(user, service_request).filter(pk=attachment_id).first()
    if found is None:
        raise NotFound()
    return found


def decision_documents(user: User, party_id: int) -> QuerySet[Attachment]:
    """The decision documents of a party's requests that the user may see (a document bank)."""
    documents = Attachment.objects.filter(request__in=visible_requests(user).filter(party_id=party_id),
                                          is_decision=True)
    if user.role == Role.RESIDENT:
        documents = documents.filter(visible_to_customer=True)
    return documents.select_related("request__service").order_by("-created_at", "-id")


def resolutions_of(user: User, party_id: int) -> QuerySet[ServiceRequest]:
    """A party's resolved (and later closed) requests that the user may see, with their resolution."""
    return (visible_requests(user).filter(party_id=party_id, resolved_at__isnull=False).exclude(resolution="")
            .select_related("service").order_by("-resolved_at", "-id"))


# ----------------------------------------------------------------- the desk: presence, inbox, workload

# A page whose heartbeat (every 30 seconds) has not come for this long is taken to be closed.
VIEWER_EXPIRY = datetime.timedelta(minutes=2)


def other_viewers(user: User, service_request: ServiceRequest) -> list[User]:
    """The other staff members who have the request's page open now, by name."""
    since = timezone.now() - VIEWER_EXPIRY
    rows = (RequestViewer.objects.filter(request=service_request, last_seen__gte=since)
            .exclude(user=user).select_related("user").order_by("user__last_name", "user__first_name", "user_id"))
    return [row.user for row in rows]


def forwarded_to(reader: Reader) -> QuerySet[ServiceRequest]:
    """The open requests forwarded to the reader, their team or their department (an expert's inbox),
    the earliest due first. Requests the user's department forwarded elsewhere are not in it.
    The rows fetched are written to the audit log, as in list_requests."""
    user = reader.user
    scope = Q(assignee_id=user.pk)
    if user.team_id is not None:
        scope |= Q(team_id=user.team_id)
    if user.department_id is not None:
        scope |= Q(department_id=user.department_id)
    return reader.reading(visible_requests(user).select_related(*LIST_RELATED)
                          .filter(scope, status__in=OPEN_STATUSES, forwarded_at__isnull=False)
                          .order_by("due_date", "id"), "service_request", audit_row)


def _workload(group_by: str):
    """Open requests per `group_by`: how many, unassigned, overdue, and the oldest filing."""
    today = timezone.localdate()
    return (ServiceRequest.objects.filter(status__in=OPEN_STATUSES).order_by().values(group_by)
            .annotate(open=Count("pk"),
                      unassigned=Count("pk", filter=Q(assignee__isnull=True)),
                      overdue=Count("pk", filter=Q(status__in=CLOCK_RUNNING, due_date__lt=today)),
                      oldest=Min("created_at")))


def workload_by_team() -> list[dict]:
    """One row per team with open requests (and one for requests without a team)."""
    return list(_workload("team_id"))


def workload_by_department() -> list[dict]:
    return list(_workload("department_id"))


def workload_by_handler() -> list[dict]:
    """Who handles how many open requests (and how many of them are overdue)."""
    return list(_workload("assignee_id").filter(assignee__isnull=False))
