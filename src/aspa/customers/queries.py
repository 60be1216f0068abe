"""Reading the customer register. Access helpers fetch *and* authorise: a party the user may
not see is simply not found (404), so its existence does not leak. The helpers that hand a
customer to a page or an API client take a Reader and write staff reads to the audit log."""

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from stdnum.fi import hetu, ytunnus

from aspa.audit.models import AuditAction
from aspa.audit.reads import AuditRow, Reader
from aspa.catalogue import queries as catalogue
from aspa.customers.models import (
    ContactPoint,
    Customership,
    OrganisationContact,
    Party,
    fold_for_search,
)
from aspa.customers.validation import (
    looks_like_business_id,
    looks_like_national_id,
    looks_like_phone,
    normalise_email,
    normalise_phone,
)
from aspa.errors import Forbidden, InvalidInput, NotFound
from aspa.identity.access import CENTRE_WIDE, SEES_FULL_IDENTITY
from aspa.identity.models import Role


def parties_visible_to(user) -> QuerySet[Party]:
    """The parties this user may read at all."""
    parties = Party.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return parties.none()
    if user.role in CENTRE_WIDE:
        return parties
    if user.role == Role.EXPERT:
        if user.department_id is None:
            return parties.none()
        # Looked up by name, not imported: `requests` depends on `customers`, never the
        # other way round, yet an expert's view of customers is defined by requests.
        service_request = apps.get_model("requests", "ServiceRequest")
        in_department = service_request.objects.filter(department_id=user.department_id, party__isnull=False)
        return parties.filter(pk__in=in_department.values("party_id"))
    if user.role == Role.RESIDENT:
        return parties.filter(pk=user.party_id) if user.party_id else parties.none()
    return parties.none()


def with_details(parties: QuerySet[Party]) -> QuerySet[Party]:
    """Everything the party JSON shows, in a fixed number of queries however many parties."""
    return parties.prefetch_related(
        "contact_points",
        "segments",
        "consents",
        Prefetch("contact_persons", queryset=OrganisationContact.objects.select_related("person")),
    )


def audit_row(party: Party) -> AuditRow:
    return party.pk, party.pk


def _party_for(user, party_id: int) -> Party:
    party = with_details(parties_visible_to(user)).filter(pk=party_id).first()
    if party is None:
        raise NotFound(_("No such customer."))
    return party


def get_party_for(reader: Reader, party_id: int) -> Party:
    """The party with its contact points etc., or NotFound if missing or not the reader's to see.
    A staff reader's read is written to the audit log."""
    party = _party_for(reader.user, party_id)
    reader.read("party", [party], audit_row)
    return party


def may_reveal_national_id(user, party: Party) -> bool:
    return bool(party.national_id) and user.role in SEES_FULL_IDENTITY


def reveal_national_id_for(reader: Reader, party_id: int) -> Party:
    """The party whose whole henkilötunnus the reader asks to see: NotFound if not theirs to see,
    Forbidden if their role may not see it whole. Every showing is written to the audit log."""
    party = _party_for(reader.user, party_id)
    if not may_reveal_national_id(reader.user, party):
        raise Forbidden()
    reader.record(AuditAction.REVEAL, "party", [party], audit_row)
    return party


def find_parties(reader: Reader, *, q: str | None = None, national_id: str | None = None,
                 business_id: str | None = None, phone: str | None = None, email: str | None = None,
                 name: str | None = None, segment: str | None = None, kind: str | None = None) -> QuerySet[Party]:
    """Parties the reader may see, narrowed by every filter given; the rows fetched (the page
    shown) are written to the audit log when a staff reader reads them.

    `q` is the one search box of the agent desktop: an identity code, business ID, phone
    number or email address is looked up exactly, anything else as a name prefix."""
    parties = parties_visible_to(reader.user)
    if q and q.strip():
        q = q.strip()
        if looks_like_national_id(q):
            national_id = q
        elif looks_like_business_id(q):
            business_id = q
        elif "@" in q:
            email = q
        elif looks_like_phone(q):
            phone = q
        else:
            name = q
    if national_id:
        parties = parties.filter(national_id=hetu.compact(national_id))
    if business_id:
        parties = parties.filter(business_id=_business_id_for_lookup(business_id))
    if phone:
        value = normalise_phone(phone, "phone")
        parties = parties.filter(pk__in=ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE, value=value)
                                 .values("party_id"))
    if email:
        value = normalise_email(email, "email")
        parties = parties.filter(pk__in=ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL, value=value)
                                 .values("party_id"))
    if name:
        parties = parties.filter(_name_matches(name))
    if segment:
        # An unknown code is reported (422), not taken as a filter that matches nobody.
        parties = parties.filter(segments=catalogue.by_code("segment", segment, "segment"))
    if kind:
        if kind not in Party.Kind.values:
            raise InvalidInput({"kind": [_("Not one of the allowed values.")]})
        parties = parties.filter(kind=kind)
    return reader.reading(with_details(parties), "party", audit_row)


def _business_id_for_lookup(value: str) -> str:
    compact = ytunnus.compact(value)
    return f"{compact[:-1]}-{compact[-1]}" if len(compact) == 8 else value


def _name_matches(name: str) -> Q:
    """A prefix of "last first" (or of the organisation name), accents folded.

    Prefix matches use the index on search_name (on PostgreSQL Django adds a
    varchar_pattern_ops index for it). People also say their first name first: "matti häm"
    is the last name starting "ham" whose first names start "matti", still narrowed by an
    indexable prefix."""
    words = fold_for_search(name).split()
    if not words:
        return Q()
    condition = _starts_with(" ".join(words))
    if len(words) > 1:
        first_names = " ".join(words[:-1])
        condition |= _starts_with(words[-1]) & Q(search_name__contains=f" {first_names}")
    return condition


def _starts_with(prefix: str) -> Q:
    """search_name starts with prefix. The range beside the LIKE bounds the index scan: with a
    database collation other than "C", PostgreSQL otherwise walks the whole index (200 ms at
    200,000 customers instead of under 1 ms)."""
    successor = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(search_name__startswith=prefix, search_name__gte=prefix, search_name__lt=successor)


def customerships_for(reader: Reader, party_id: int) -> tuple[Party, QuerySet[Customership]]:
    """The party (its read audited as get_party_for's) and the services it uses."""
    party = get_party_for(reader, party_id)
    return party, party.customerships.select_related("service")


def get_customership_for(user, party_id: int, customership_id: int) -> Customership:
    """The customership that a change acts on (not a read to audit: the operation audits the change)."""
    party = _party_for(user, party_id)
    customership = party.customerships.select_related("service", "party").filter(pk=customership_id).first()
    if customership is None:
        raise NotFound(_("No such customership."))
    return customership


def get_party_for_update(user, party_id: int) -> Party:
    """The party if this user may change it: centre-wide staff any, a resident their own.
    Not a read to audit: the operation that changes it audits the change."""
    party = _party_for(user, party_id)
    if user.role not in CENTRE_WIDE and not is_own_party(user, party):
        raise Forbidden()
    return party


def is_own_party(user, party: Party) -> bool:
    return user.role == Role.RESIDENT and user.party_id is not None and user.party_id == party.pk


def shows_full_national_id(user, party: Party, *, in_list: bool) -> bool:
    """Lists always mask the henkilötunnus; a detail shows it whole to roles that need it."""
    if is_own_party(user, party):
        return True
    return not in_list and user.role in SEES_FULL_IDENTITY


# A non-disclosed address (turvakielto) is for the few who must act on it, not for the desk.
SEES_NON_DISCLOSED_ADDRESS = (Role.SUPERVISOR, Role.ADMIN)


def shows_addresses(user, party: Party) -> bool:
    return not party.non_disclosure or user.role in SEES_NON_DISCLOSED_ADDRESS or is_own_party(user, party)


def party_with_phone(number: str) -> Party | None:
    """The one customer whose phone number (E.164) this is, for linking a call to its caller; None
    when nobody has it, or when several do and the call cannot say whose it was. Reads no personal
    data for anyone (the call stores only the link), so nothing is audited."""
    owners = list(ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE, value=number)
                  .order_by("party_id").values_list("party_id", flat=True).distinct()[:2])
    if len(owners) != 1:
        return None
    return Party.objects.filter(pk=owners[0]).first()
