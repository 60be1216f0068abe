"""Reading contacts, always through the reader's scope: what a role may see is decided here.
The helpers that hand contacts to a page or an API client take a Reader and write staff reads
of a customer's contacts to the audit log."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aspa.audit.reads import AuditRow, Reader
from aspa.catalogue.models import Service
from aspa.catalogue.queries import by_code
from aspa.contacts.models import Contact, ContactRequest, Outcome
from aspa.customers import mandates
from aspa.errors import InvalidInput, NotFound
from aspa.identity.access import CENTRE_WIDE
from aspa.identity.models import Role, User
from aspa.requests.models import ServiceRequest


def visible_contacts(user: User) -> QuerySet[Contact]:
    """The contacts this user may see: centre-wide staff all, an expert those about their
    department's requests or recorded by themselves, a resident their own."""
    contacts = Contact.objects.all()
    if not user.is_authenticated or not user.is_active:
        return contacts.none()
    if user.role in CENTRE_WIDE:
        return contacts
    if user.role == Role.EXPERT:
        about_department = Q(requests__department_id=user.department_id) if user.department_id else Q(pk__in=[])
        ids = Contact.objects.filter(about_department | Q(staff_id=user.pk)).values("pk")
        # A subquery, not a join, so one contact linked to two requests is not listed twice.
        return contacts.filter(pk__in=ids)
    if user.role == Role.RESIDENT and user.party_id:
        # Their own, and those of the organisations they hold a valid mandate for.
        return contacts.filter(party_id__in=mandates.represented_party_ids(user.party_id))
    return contacts.none()


def _with_details(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    # Everything the contact JSON shows, in a fixed number of queries however long the list.
    return contacts.select_related("channel", "staff").prefetch_related(
        Prefetch("topics", to_attr="topic_list"),
        Prefetch("requests", queryset=ServiceRequest.objects.only("id", "number"), to_attr="request_list"),
    )


def audit_row(contact: Contact) -> AuditRow:
    # A contact with a customer is personal data; an anonymous one is not.
    return (contact.pk, contact.party_id) if contact.party_id else None


def get_contact_for(reader: Reader, contact_id: int) -> Contact:
    """The contact if the reader may see it; otherwise 404, as if it did not exist. A staff
    reader's read of a customer's contact is written to the audit log."""
    found = _with_details(visible_contacts(reader.user)).filter(pk=contact_id).first()
    if found is None:
        raise NotFound()
    reader.read("contact", [found], audit_row)
    return found


def list_contacts(reader: Reader, *, party: int | None = None, channel: str | None = None, staff: str | None = None,
                  outcome: str | None = None, date_from: date | None = None, date_to: date | None = None,
                  topic: str | None = None, order_by: list[str] | None = None) -> QuerySet[Contact]:
    """Contacts the reader may see, filtered. Dates are calendar days in Finnish time. The rows
    fetched (the page shown) are written to the audit log when a staff reader reads them."""
    contacts = visible_contacts(reader.user)
    if party is not None:
        contacts = contacts.filter(party_id=party)
    if channel:
        contacts = contacts.filter(channel=by_code("channel", channel, "channel"))
    if staff:
        contacts = contacts.filter(staff__username=staff)
    if outcome:
        if outcome not in Outcome.values:
            raise InvalidInput({"outcome": [_("Must be one of: %(values)s.") % {"values": ", ".join(Outcome.values)}]})
        contacts = contacts.filter(outcome=outcome)
    if date_from and date_to and date_from > date_to:
        raise InvalidInput({"date_to": [_("The end must not be before the start.")]})
    if date_from:
        contacts = contacts.filter(started_at__date__gte=date_from)
    if date_to:
        contacts = contacts.filter(started_at__date__lte=date_to)
    if topic:
        service = by_code("service", topic, "topic")
        contacts = contacts.filter(pk__in=Contact.topics.through.objects.filter(service=service).values("contact_id"))
    return reader.reading(_with_details(contacts.order_by(*(order_by or ["-started_at", "-id"]))), "contact",
                          audit_row)


# ----------------------------------------------------------------- contact requests

# Who may mark any contact request done or cancel it, besides the people it was left for.
MAY_HANDLE_ANY = (Role.SUPERVISOR, Role.ADMIN)


class Scope:
    """Whose contact requests a list shows."""

    MINE = "mine"
    TEAM = "team"
    DEPARTMENT = "department"
    ALL = "all"  # everything the user may see

    values = (MINE, TEAM, DEPARTMENT, ALL)


def visible_contact_requests(user: User) -> QuerySet[ContactRequest]:
    """Centre-wide staff see every contact request; an expert those left for them, their team or
    their department; anyone else none."""
    found = ContactRequest.objects.all()
    if not user.is_authenticated or not user.is_active:
        return found.none()
    if user.role in CENTRE_WIDE:
        return found
    if user.role == Role.EXPERT:
        return found.filter(_for_user(user))
    return found.none()


def _for_user(user: User) -> Q:
    """Left for this user, for their team or for their department."""
    condition = Q(assignee_id=user.pk)
    if user.team_id:
        condition |= Q(team_id=user.team_id)
    if user.department_id:
        condition |= Q(department_id=user.department_id)
    return condition


def _scope(user: User, scope: str) -> Q:
    if scope == Scope.MINE:
        return Q(assignee_id=user.pk)
    if scope == Scope.TEAM:
        return Q(team_id=user.team_id) if user.team_id else Q(pk__in=[])
    if scope == Scope.DEPARTMENT:
        return Q(department_id=user.department_id) if user.department_id else Q(pk__in=[])
    if scope == Scope.ALL:
        return Q()
    raise InvalidInput({"scope": [_("Must be one of: %(values)s.") % {"values": ", ".join(Scope.values)}]})


def _today_bounds() -> tuple[datetime, datetime]:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


def contact_requests_for(user: User, *, scope: str = "for_me", status: str | None = ContactRequest.Status.OPEN,
                         due: str | None = None) -> QuerySet[ContactRequest]:
    """Contact requests for this user's attention, earliest due first, in one query.

    The default scope "for_me" is what was left for them, their team or their department;
    `due` narrows to "today" (due today, not yet overdue included) or "overdue"."""
    found = visible_contact_requests(user)
    found = found.filter(_for_user(user)) if scope == "for_me" else found.filter(_scope(user, scope))
    if status:
        if status not in ContactRequest.Status.values:
            raise InvalidInput({"status": [_("Must be one of: %(values)s.")
                                           % {"values": ", ".join(ContactRequest.Status.values)}]})
        found = found.filter(status=status)
    if due == "today":
        start, end = _today_bounds()
        found = found.filter(due_at__gte=start, due_at__lt=end)
    elif due == "overdue":
        found = found.filter(due_at__lt=timezone.now())
    elif due:
        raise InvalidInput({"due": [_("Must be one of: %(values)s.") % {"values": "today, overdue"}]})
    return found.select_related("party", "assignee", "team", "department", "service_request", "created_by") \
        .order_by("due_at", "id")


def list_contact_requests(reader: Reader, *, scope: str = "for_me",
                          status: str | None = ContactRequest.Status.OPEN) -> QuerySet[ContactRequest]:
    """The desk's list of contact requests (contact_requests_for's): the customers of the rows
    fetched (the page shown) are written to the audit log as read, one row per contact request."""
    return reader.reading(contact_requests_for(reader.user, scope=scope, status=status), "party",
                          lambda item: (item.party_id, item.party_id) if item.party_id else None)


def contact_requests_due_today(user: User) -> QuerySet[ContactRequest]:
    return contact_requests_for(user, due="today")


def overdue_contact_requests(user: User) -> QuerySet[ContactRequest]:
    return contact_requests_for(user, due="overdue")


def contact_request_counts(user: User) -> dict[str, int]:
    """Open contact requests for the user: all, due today and overdue, in one query."""
    start, end = _today_bounds()
    now = timezone.now()
    counts = visible_contact_requests(user).filter(_for_user(user), status=ContactRequest.Status.OPEN) \
        .order_by().aggregate(open=Count("pk"), due_today=Count("pk", filter=Q(due_at__gte=start, due_at__lt=end)),
                              overdue=Count("pk", filter=Q(due_at__lt=now)))
    return {key: value or 0 for key, value in counts.items()}


def get_contact_request_for(user: User, contact_request_id: int) -> ContactRequest:
    """The contact request if this user may see it; otherwise 404."""
    found = visible_contact_requests(user).select_related("party", "assignee", "team", "department") \
        .filter(pk=contact_request_id).first()
    if found is None:
        raise NotFound()
    return found


def may_handle_contact_request(user: User, contact_request: ContactRequest) -> bool:
    """The person it was left for; when no person was named, anyone of the team (or, without a
    team, of the department); the one who left it; supervisors and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in MAY_HANDLE_ANY or contact_request.created_by_id == user.pk:
        return True
    if contact_request.assignee_id is not None:
        return contact_request.assignee_id == user.pk
    if contact_request.team_id is not None:
        return contact_request.team_id == user.team_id
    return contact_request.department_id is not None and contact_request.department_id == user.department_id


def open_contact_of(user: User) -> Contact | None:
    """The user's latest contact that has not ended yet, if any."""
    if not user.is_authenticated:
        return None
    return Contact.objects.filter(staff_id=user.pk, ended_at__isnull=True).select_related("party") \
        .order_by("-started_at", "-id").first()


# ----------------------------------------------------------------- topics

def find_topics(query: str, limit: int = 8) -> list[Service]:
    """Services in use whose name (in the reader's language or Finnish) or keywords contain the text."""
    text = (query or "").strip()
    if not text:
        return []
    language = (get_language() or "fi")[:2]
    matches = Q(name_fi__icontains=text) | Q(keywords__icontains=text)
    if language in ("sv", "en"):
        matches |= Q(**{f"name_{language}__icontains": text})
    found = list(Service.objects.filter(matches, active=True).order_by("code")[:limit * 3])
    # Names that start with the text first, then the rest, alphabetically in the reader's language.
    lowered = text.lower()
    found.sort(key=lambda service: (not service.name.lower().startswith(lowered), service.name.lower()))
    return found[:limit]
