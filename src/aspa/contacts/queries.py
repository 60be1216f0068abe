"""Reading contacts, always through the reader's scope: what a role may see is decided here."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from aspa.api.errors import InvalidInput, NotFound
from aspa.catalogue.queries import by_code
from aspa.contacts.models import Contact, Outcome
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
        return contacts.filter(party_id=user.party_id)
    return contacts.none()


def _with_details(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    # Everything the contact JSON shows, in a fixed number of queries however long the list.
    return contacts.select_related("channel", "staff").prefetch_related(
        Prefetch("topics", to_attr="topic_list"),
        Prefetch("requests", queryset=ServiceRequest.objects.only("id", "number"), to_attr="request_list"),
    )


def get_contact_for(user: User, contact_id: int) -> Contact:
    """The contact if this user may see it; otherwise 404, as if it did not exist."""
    found = _with_details(visible_contacts(user)).filter(pk=contact_id).first()
    if found is None:
        raise NotFound()
    return found


def list_contacts(user: User, *, party: int | None = None, channel: str | None = None, staff: str | None = None,
                  outcome: str | None = None, date_from: date | None = None, date_to: date | None = None,
                  topic: str | None = None, order_by: list[str] | None = None) -> QuerySet[Contact]:
    """Contacts this user may see, filtered. Dates are calendar days in Finnish time."""
    contacts = visible_contacts(user)
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
    return _with_details(contacts.order_by(*(order_by or ["-started_at", "-id"])))
