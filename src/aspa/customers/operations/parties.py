"""Persons and organisations: creating and changing them, their contact points, consents,
segments, non-disclosure and contact persons."""

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from aspa.audit.models import AuditAction
from aspa.customers.models import ContactPoint, OrganisationContact, Party
from aspa.customers.operations.cleaning import (
    _CONTACT_FIELD_BY_KIND,
    _check_contact_person,
    _clean_collections,
    _clean_consents,
    _clean_contact_points,
    _clean_party_fields,
    _clean_segments,
    _write_collections,
    _write_consents,
    _write_contact_points,
)
from aspa.customers.operations.shared import (
    _audit,
    _claim_version,
    _Problems,
    _save_unless_duplicate,
    _touch,
)
from aspa.customers.validation import birth_date_from_national_id
from aspa.errors import Forbidden, InvalidInput
from aspa.identity.models import Role

# What residents may change in their own record; names and identity codes come from the
# population register and are corrected by the centre.
RESIDENT_EDITABLE = frozenset({"language", "contact_preference", "phones", "emails", "addresses", "consents"})
SCALAR_FIELDS = ("first_name", "last_name", "name", "national_id", "business_id", "birth_date",
                 "language", "contact_preference", "non_disclosure")
COLLECTION_FIELDS = ("phones", "emails", "addresses", "segments", "consents", "contact_persons")


@transaction.atomic
def create_party(actor, *, kind: str, first_name: str = "", last_name: str = "", name: str = "",
                 national_id: str | None = None, business_id: str | None = None,
                 birth_date: datetime.date | None = None, language: str = "fi",
                 contact_preference: str = Party.Preference.EMAIL, non_disclosure: bool = False,
                 phones: Iterable = (), emails: Iterable = (), addresses: Iterable = (),
                 segments: Iterable[str] | None = None, consents: Mapping[str, bool] | None = None,
                 contact_persons: Iterable[Mapping] | None = None,
                 request: HttpRequest | None = None) -> Party:
    """A new person or organisation. A person may come without a henkilötunnus (a tourist,
    a newborn not yet registered); an identity code already in the register is refused."""
    problems = _Problems()
    if kind not in Party.Kind.values:
        problems.add("kind", _("Not one of the allowed values."))
    party = Party(kind=kind)
    values = _clean_party_fields(party, {
        "first_name": first_name, "last_name": last_name, "name": name, "national_id": national_id,
        "business_id": business_id, "birth_date": birth_date, "language": language,
        "contact_preference": contact_preference, "non_disclosure": non_disclosure,
    }, problems)
    collections = _clean_collections(party, {
        "phones": phones, "emails": emails, "addresses": addresses, "segments": segments,
        "consents": consents, "contact_persons": contact_persons,
    }, problems)
    problems.raise_if_any()
    for field, value in values.items():
        setattr(party, field, value)
    _save_unless_duplicate(party)
    _write_collections(party, collections)
    _audit(request, actor, AuditAction.CREATE, party, "create_party")
    return party


@transaction.atomic
def update_party(actor, party: Party, *, version: int, changes: Mapping,
                 request: HttpRequest | None = None) -> Party:
    """Change the given fields (PATCH semantics: a collection given is replaced whole).

    `version` is the version the caller saw; if the party changed since, nothing is
    written and the caller gets Conflict "stale" to reload and retry."""
    unknown = set(changes) - set(SCALAR_FIELDS) - set(COLLECTION_FIELDS)
    if unknown:
        raise InvalidInput({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    if getattr(actor, "role", None) == Role.RESIDENT:
        refused = set(changes) - RESIDENT_EDITABLE
        if refused:
            raise Forbidden(
                _("Contact the customer service centre to change these details."),
                fields={field: [_("You cannot change this yourself.")] for field in sorted(refused)},
            )
    _claim_version(party, version)

    problems = _Problems()
    scalar_changes = {field: changes[field] for field in SCALAR_FIELDS if field in changes}
    values = _clean_party_fields(party, scalar_changes, problems)
    collections = _clean_collections(
        party, {field: changes[field] for field in COLLECTION_FIELDS if field in changes}, problems)
    problems.raise_if_any()

    for field, value in values.items():
        setattr(party, field, value)
    _save_unless_duplicate(party, update_fields=[*values, "updated_at"])
    _write_collections(party, collections)
    _audit(request, actor, AuditAction.UPDATE, party, "update_party")
    return party


@transaction.atomic
def replace_contact_points(actor, party: Party, kind: str, items: Iterable,
                           request: HttpRequest | None = None) -> list[ContactPoint]:
    """Replace all phones, emails or addresses of a party with these."""
    field = _CONTACT_FIELD_BY_KIND[ContactPoint.Kind(kind)]
    problems = _Problems()
    points = _clean_contact_points(kind, items, field, problems)
    problems.raise_if_any()
    _write_contact_points(party, kind, points)
    _touch(party)
    _audit(request, actor, AuditAction.UPDATE, party, "replace_contact_points")
    return points


@transaction.atomic
def add_contact_point(actor, party: Party, kind: str, item, request: HttpRequest | None = None) -> ContactPoint:
    """Add one phone, email or address; the same value twice is kept once."""
    field = _CONTACT_FIELD_BY_KIND[ContactPoint.Kind(kind)]
    problems = _Problems()
    [point] = _clean_contact_points(kind, [item], field, problems)
    problems.raise_if_any()
    existing = party.contact_points.filter(kind=kind)
    if kind != ContactPoint.Kind.ADDRESS:
        duplicate = existing.filter(value=point.value).first()
        if duplicate is not None:
            return duplicate
    if point.is_primary:
        existing.update(is_primary=False)
    elif not existing.exists():
        point.is_primary = True
    point.party = party
    point.save()
    _touch(party)
    _audit(request, actor, AuditAction.UPDATE, party, "add_contact_point")
    return point


@transaction.atomic
def set_consents(actor, party: Party, consents: Mapping[str, bool],
                 request: HttpRequest | None = None) -> None:
    """Record what the customer allowed or refused; purposes not named stay as they were."""
    problems = _Problems()
    cleaned = _clean_consents(consents, problems)
    problems.raise_if_any()
    _write_consents(party, cleaned)
    _touch(party)
    _audit(request, actor, AuditAction.UPDATE, party, "set_consents")


@transaction.atomic
def set_segments(actor, party: Party, codes: Iterable[str], request: HttpRequest | None = None) -> None:
    """Put the party in exactly these customer segments (by catalogue code)."""
    problems = _Problems()
    segments = _clean_segments(codes, problems)
    problems.raise_if_any()
    party.segments.set(segments)
    _touch(party)
    _audit(request, actor, AuditAction.UPDATE, party, "set_segments")


@transaction.atomic
def set_non_disclosure(actor, party: Party, non_disclosure: bool, request: HttpRequest | None = None) -> None:
    """Turn the non-disclosure (turvakielto) on or off; while on, the address is hidden."""
    party.non_disclosure = bool(non_disclosure)
    party.save(update_fields=["non_disclosure", "updated_at"])
    _touch(party)
    _audit(request, actor, AuditAction.UPDATE, party, "set_non_disclosure")


@transaction.atomic
def add_contact_person(actor, organisation: Party, person: Party, title: str = "",
                       request: HttpRequest | None = None) -> OrganisationContact:
    """Name a person who acts for an organisation (or change their title)."""
    problems = _Problems()
    _check_contact_person(organisation, person, "person", problems)
    problems.raise_if_any()
    link, _created = OrganisationContact.objects.update_or_create(
        organisation=organisation, person=person, defaults={"title": (title or "")[:100]})
    _touch(organisation)
    _audit(request, actor, AuditAction.UPDATE, organisation, "add_contact_person")
    return link


@transaction.atomic
def remove_contact_person(actor, organisation: Party, person: Party, request: HttpRequest | None = None) -> None:
    OrganisationContact.objects.filter(organisation=organisation, person=person).delete()
    _touch(organisation)
    _audit(request, actor, AuditAction.UPDATE, organisation, "remove_contact_person")


@transaction.atomic
def save_party_from_admin(actor, party: Party, *, created: bool, request: HttpRequest | None = None) -> Party:
    """The admin's form has validated the fields (with validation.py); this keeps the version,
    the duplicate check and the audit the same as for every other write."""
    if party.national_id:
        party.birth_date = birth_date_from_national_id(party.national_id)
    if not created:
        party.version = F("version") + 1
    _save_unless_duplicate(party)
    party.refresh_from_db(fields=["version"])
    _audit(request, actor, AuditAction.CREATE if created else AuditAction.UPDATE, party, "admin")
    return party

