"""The desk's queues: named slices of the requests a staff member may see.

Every read starts from aspa.requests.queries, which decides what the user may see at all and
writes staff reads to the audit log; a queue only narrows that down. The counts of all queues
come from one query."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aspa.audit.reads import Reader
from aspa.identity.models import Role, User
from aspa.requests.models import OPEN_STATUSES, ServiceRequest, Status
from aspa.requests.queries import CLOCK_RUNNING, RequestFilters, list_requests, visible_requests

# Who has a desk: the service centre's and the departments' people. Residents use the
# e-services and integration clients the API.
DESK_ROLES = (Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN)


class QueueKey(StrEnum):
    MINE = "mine"
    TEAM = "team"
    UNASSIGNED = "unassigned"
    OVERDUE = "overdue"
    WAITING = "waiting"


@dataclass(frozen=True)
class Queue:
    key: QueueKey
    title: Promise
    description: Promise


QUEUES = (
    Queue(QueueKey.MINE, _("My requests"), _("Open requests assigned to you.")),
    Queue(QueueKey.TEAM, _("My team's queue"), _("Open requests of your team.")),
    Queue(QueueKey.UNASSIGNED, _("Unassigned"), _("Open requests that nobody handles yet.")),
    Queue(QueueKey.OVERDUE, _("Overdue"), _("Requests past their due date that are still being handled.")),
    Queue(QueueKey.WAITING, _("Waiting for the customer"), _("Requests waiting for more information from the customer.")),
)
QUEUES_BY_KEY = {queue.key.value: queue for queue in QUEUES}

# Never true: a queue that cannot apply to this user (no team, no department) is empty.
_NOTHING = Q(pk__isnull=True)


def _scope(user: User, key: QueueKey) -> Q:
    is_open = Q(status__in=OPEN_STATUSES)
    if key == QueueKey.MINE:
        return is_open & Q(assignee_id=user.pk)
    if key == QueueKey.TEAM:
        return is_open & Q(team_id=user.team_id) if user.team_id is not None else _NOTHING
    if key == QueueKey.UNASSIGNED:
        unassigned = is_open & Q(assignee__isnull=True)
        if user.role == Role.EXPERT:
            # An expert picks up work of their own department, not every request they can see.
            return unassigned & Q(department_id=user.department_id) if user.department_id else _NOTHING
        return unassigned
    if key == QueueKey.OVERDUE:
        # The same rule as requests.queries.is_overdue: waiting for the customer stops the clock.
        return Q(status__in=CLOCK_RUNNING, due_date__lt=timezone.localdate())
    return Q(status=Status.WAITING)


def queue_counts(user: User) -> dict[str, int]:
    """How many requests are in each queue, in one query."""
    counts = visible_requests(user).order_by().aggregate(
        **{queue.key.value: Count("pk", filter=_scope(user, queue.key)) for queue in QUEUES}
    )
    return {key: value or 0 for key, value in counts.items()}


def queue_requests(reader: Reader, key: QueueKey | str, *, status: str | None = None, service: str | None = None,
                   order_by: list[str] | None = None) -> QuerySet[ServiceRequest]:
    """The requests of one queue, optionally narrowed by status and service, in one query; the
    rows fetched (the page shown) are written to the audit log, as list_requests does."""
    filters = RequestFilters(status=[status] if status else [], service=service or None)
    found = list_requests(reader, filters, order_by or ["due_date", "id"]).filter(_scope(reader.user, QueueKey(key)))
    # The desk lists do not show the other filers; skip the extra query list_requests plans for them.
    return found.prefetch_related(None)

