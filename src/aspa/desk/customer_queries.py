"""What the desk's search box and customer view read.

Who may see which customer, request and contact is decided by the customers, requests and
contacts apps' queries (which also write staff reads to the audit log); this module only picks
from what they allow, and limits the lists so that a customer with hundreds of errands opens as
fast as one with none."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from aspa.audit.reads import Reader
from aspa.contacts.models import Contact
from aspa.contacts.queries import list_contacts
from aspa.customers.models import Customership, Party
from aspa.customers.queries import find_parties, may_reveal_national_id, shows_addresses
from aspa.errors import InvalidInput
from aspa.identity.access import mask_national_id
from aspa.identity.models import User
from aspa.requests.models import OPEN_STATUSES, Attachment, ServiceRequest
from aspa.requests.queries import is_overdue, visible_requests

SEARCH_CUSTOMERS = 10
SEARCH_REQUESTS = 5
# A name search needs two letters: one letter matches a twentieth of the city.
SEARCH_MIN_LENGTH = 2
# How far back a bare serial number ("123") is looked for: this year and the five before.
SEARCH_YEARS_BACK = 5
# Rows per section of the customer view until the advisor asks for all of them.
HISTORY_LIMIT = 20
HISTORY_SECTIONS = ("past", "contacts", "documents")

# "ESI-2026-000123", "2026-000123", "2026-123" or "123"; spaces are ignored.
_REQUEST_NUMBER = re.compile(r"^(?:(?P<prefix>[A-Z]+)-)?(?:(?P<year>\d{4})-)?(?P<serial>\d{1,9})$")


@dataclass
class SearchResults:
    query: str
    customers: list[Party] = field(default_factory=list)
    requests: list[ServiceRequest] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.customers and not self.requests


def search(reader: Reader, text: str | None) -> SearchResults:
    """Customers by name, identity code, business ID, phone or email, and requests by number.
    The customers found are written to the audit log as read (by find_parties)."""
    user = reader.user
    query = " ".join((text or "").split())[:100]
    results = SearchResults(query=query)
    if len(query) < SEARCH_MIN_LENGTH and not query.isdigit():
        return results
    try:
        # The list shows names and masked codes only: the contact details find_parties
        # prefetches for its API are not needed here.
        results.customers = list(find_parties(reader, q=query).prefetch_related(None)[:SEARCH_CUSTOMERS])
    except InvalidInput:
        # Half-typed input ("matti@") is no error while typing; it simply finds nobody yet.
        results.customers = []
    numbers = request_number_candidates(query)
    if numbers:
        results.requests = list(visible_requests(user).filter(number__in=numbers).select_related("service")
                                .order_by("-created_at", "-id")[:SEARCH_REQUESTS])
    return results


def request_number_candidates(text: str) -> list[str]:
    """The request numbers a typed number may mean, looked up exactly (an index lookup, not a
    scan): a full number as such; "2026-123" in that year; "123" in this year and the years before."""
    match = _REQUEST_NUMBER.match(text.upper().replace(" ", ""))
    if match is None:
        return []
    prefix = match["prefix"] or settings.REQUEST_NUMBER_PREFIX
    serial = int(match["serial"])
    if match["year"]:
        years = [int(match["year"])]
    else:
        this_year = timezone.localdate().year
        years = list(range(this_year, this_year - SEARCH_YEARS_BACK - 1, -1))
    return [f"{prefix}-{year}-{serial:06d}" for year in years]


def identity_for_list(party: Party) -> str:
    """What tells namesakes apart in a list: the masked henkilötunnus or the business ID."""
    if party.kind == Party.Kind.ORGANISATION:
        return party.business_id or ""
    return mask_national_id(party.national_id) or ""


def may_reveal_identity_code(user: User, party: Party) -> bool:
    return may_reveal_national_id(user, party)


@dataclass
class Section:
    """One list of the customer view: its rows and whether more were left out."""

    rows: list
    has_more: bool


def _limited(rows: QuerySet, show_all: bool) -> Section:
    if show_all:
        return Section(list(rows), False)
    # One row more than shown tells whether there are more, without a COUNT query.
    found = list(rows[:HISTORY_LIMIT + 1])
    return Section(found[:HISTORY_LIMIT], len(found) > HISTORY_LIMIT)


@dataclass
class CustomerView:
    party: Party
    contact_points: list
    addresses_hidden: bool
    customerships: list[Customership]
    open_requests: Section
    past_requests: Section
    contacts: Section
    documents: Section


def customer_view(user: User, party: Party, show_all: set[str] | frozenset[str] = frozenset()) -> CustomerView:
    """Everything the customer view shows, in a fixed number of queries however long the history.

    `party` comes from customers.queries.get_party_for, which has authorised the user and
    prefetched the contact points, segments and consents."""
    hidden = not shows_addresses(user, party)
    contact_points = [point for point in party.contact_points.all()
                      if not (hidden and point.kind == point.Kind.ADDRESS)]
    requests = visible_requests(user).filter(party_id=party.pk).select_related("service", "type")
    # Only the fields the view shows: a long history of long descriptions is not read for nothing.
    requests = requests.only("id", "number", "status", "due_date", "created_at", "service__code",
                             "service__name_fi", "service__name_sv", "service__name_en", "type__code",
                             "type__name_fi", "type__name_sv", "type__name_en")
    documents = (Attachment.objects.filter(request__in=visible_requests(user).filter(party_id=party.pk).values("pk"))
                 .select_related("request").only("id", "original_name", "size", "created_at", "request__number")
                 .order_by("-created_at", "-id"))
    # The customer view's read is logged once, as the party's (customers.queries.get_party_for);
    # its history lists are not logged row by row, as before.
    contacts: QuerySet[Contact] = list_contacts(Reader.unaudited(user), party=party.pk)
    return CustomerView(
        party=party,
        contact_points=contact_points,
        addresses_hidden=hidden and any(point.kind == point.Kind.ADDRESS for point in party.contact_points.all()),
        customerships=list(party.customerships.select_related("service").order_by("-started_on", "id")),
        # Open errands are few and all matter: shown whole, soonest due first.
        open_requests=Section([{"item": item, "overdue": is_overdue(item)}
                               for item in requests.filter(status__in=OPEN_STATUSES).order_by("due_date", "id")], False),
        past_requests=_limited(requests.exclude(status__in=OPEN_STATUSES).order_by("-created_at", "-id"),
                               "past" in show_all),
        contacts=_limited(contacts, "contacts" in show_all),
        documents=_limited(documents, "documents" in show_all),
    )
