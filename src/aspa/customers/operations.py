"""Changing the customer register. Each function is one transaction and writes the audit log.

Callers fetch and authorise the party first (queries.get_party_for); these functions decide
what a valid change is. `request` is optional and only feeds the audit row (address, endpoint)."""

import datetime
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aspa.audit.models import AuditAction
from aspa.audit.operations import record
from aspa.catalogue import queries as catalogue
from aspa.customers.models import (
    LANGUAGES,
    Consent,
    ContactPoint,
    Customership,
    Mandate,
    OrganisationContact,
    Party,
)
from aspa.customers.validation import (
    birth_date_from_national_id,
    normalise_business_id,
    normalise_email,
    normalise_national_id,
    normalise_phone,
)
from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.models import Role

# What residents may change in their own record; names and identity codes come from the
# population register and are corrected by the centre.
RESIDENT_EDITABLE = frozenset({"language", "contact_preference", "phones", "emails", "addresses", "consents"})
SCALAR_FIELDS = ("first_name", "last_name", "name", "national_id", "business_id", "birth_date",
                 "language", "contact_preference", "non_disclosure")
COLLECTION_FIELDS = ("phones", "emails", "addresses", "segments", "consents", "contact_persons")
_CONTACT_FIELD_BY_KIND = {ContactPoint.Kind.PHONE: "phones", ContactPoint.Kind.EMAIL: "emails",
                          ContactPoint.Kind.ADDRESS: "addresses"}


class DuplicateParty(Conflict):
    """Another party already has this identity code; the error names it so the caller can use it."""

    code = "duplicate"

    def __init__(self, existing: Party, field: str):
        if field == "national_id":
            message = _("A customer with this personal identity code already exists (id %(id)s).")
        else:
            message = _("A customer with this business ID already exists (id %(id)s).")
        message = message % {"id": existing.pk}
        super().__init__(message, code="duplicate", fields={field: [message]})
        self.existing_id = existing.pk

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["error"]["existing_id"] = self.existing_id
        return data


class _Problems:
    """Collects every invalid field so one answer lists them all."""

    def __init__(self) -> None:
        self.fields: dict[str, list] = {}

    def add(self, field: str, message) -> None:
        self.fields.setdefault(field, []).append(message)

    def check(self, normalise, *args, **kwargs):
        try:
            return normalise(*args, **kwargs)
        except InvalidInput as error:
            for field, messages in error.fields.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    self.add(field, message)
            return None

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidInput(self.fields)


# --- parties -----------------------------------------------------------------------------


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
    _refuse_duplicates(party)
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError:
        # Someone else created the same person between our check and our insert.
        _refuse_duplicates(party)
        raise
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
    _refuse_duplicates(party)
    try:
        with transaction.atomic():
            party.save(update_fields=[*values, "updated_at"])
    except IntegrityError:
        _refuse_duplicates(party)
        raise
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


# --- customerships -----------------------------------------------------------------------


@transaction.atomic
def record_customership(actor, party: Party, *, service: str, started_on: datetime.date | None = None,
                        status: str = Customership.Status.ACTIVE, ended_on: datetime.date | None = None,
                        note: str = "", request: HttpRequest | None = None) -> Customership:
    """Record that a party uses a service (by catalogue code) since a date, today by default."""
    found_service = catalogue.by_code("service", service, "service")
    if found_service is None:
        raise InvalidInput({"service": [_("This field is required.")]})
    customership = Customership(party=party, service=found_service,
                                started_on=started_on or timezone.localdate(), note=note or "")
    _apply_customership_changes(customership, {"status": status, "ended_on": ended_on})
    if Customership.objects.filter(party=party, service=found_service,
                                   started_on=customership.started_on).exists():
        raise Conflict(_("This customership is already recorded."), code="duplicate",
                       fields={"started_on": [_("This customership is already recorded.")]})
    customership.save()
    _audit(request, actor, AuditAction.CREATE, party, "record_customership",
           object_type="customership", object_id=customership.pk)
    return customership


@transaction.atomic
def update_customership(actor, customership: Customership, *, changes: Mapping,
                        request: HttpRequest | None = None) -> Customership:
    """Change the status, dates or note of a customership."""
    unknown = set(changes) - {"status", "started_on", "ended_on", "note"}
    if unknown:
        raise InvalidInput({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    _apply_customership_changes(customership, changes)
    try:
        with transaction.atomic():
            customership.save()
    except IntegrityError:
        raise Conflict(_("This customership is already recorded."), code="duplicate",
                       fields={"started_on": [_("This customership is already recorded.")]}) from None
    _audit(request, actor, AuditAction.UPDATE, customership.party, "update_customership",
           object_type="customership", object_id=customership.pk)
    return customership


def end_customership(actor, customership: Customership, ended_on: datetime.date | None = None,
                     request: HttpRequest | None = None) -> Customership:
    """The party no longer uses the service, from `ended_on` (today by default)."""
    return update_customership(actor, customership, request=request, changes={
        "status": Customership.Status.ENDED, "ended_on": ended_on or timezone.localdate()})


def _apply_customership_changes(customership: Customership, changes: Mapping) -> None:
    problems = _Problems()
    if "status" in changes:
        if changes["status"] not in Customership.Status.values:
            problems.add("status", _("Not one of the allowed values."))
        else:
            customership.status = changes["status"]
    if changes.get("started_on"):
        customership.started_on = changes["started_on"]
    if "ended_on" in changes:
        customership.ended_on = changes["ended_on"]
    if "note" in changes:
        note = changes["note"] or ""
        if len(note) > 200:
            problems.add("note", _("The text is too long."))
        customership.note = note
    if customership.status == Customership.Status.ENDED and customership.ended_on is None:
        customership.ended_on = timezone.localdate()
    if customership.ended_on and customership.started_on and customership.ended_on < customership.started_on:
        problems.add("ended_on", _("The end date cannot be before the start date."))
    problems.raise_if_any()


# --- cleaning input ----------------------------------------------------------------------


def _clean_party_fields(party: Party, given: Mapping, problems: _Problems) -> dict:
    """The given scalar fields in stored form, checked against the party's kind."""
    values: dict = {}
    for field in ("first_name", "last_name", "name"):
        if field in given:
            text = " ".join((given[field] or "").split())
            limit = Party._meta.get_field(field).max_length
            if len(text) > limit:
                problems.add(field, _("The text is too long."))
            values[field] = text
    if "language" in given:
        if given["language"] not in dict(LANGUAGES):
            problems.add("language", _("Not one of the allowed values."))
        values["language"] = given["language"]
    if "contact_preference" in given:
        if given["contact_preference"] not in Party.Preference.values:
            problems.add("contact_preference", _("Not one of the allowed values."))
        values["contact_preference"] = given["contact_preference"]
    if "non_disclosure" in given:
        values["non_disclosure"] = bool(given["non_disclosure"])
    if "birth_date" in given:
        values["birth_date"] = given["birth_date"]
    if "national_id" in given:
        national_id = given["national_id"]
        values["national_id"] = problems.check(normalise_national_id, national_id) if national_id else None
        if values["national_id"]:
            # The code is the authority on the date of birth.
            values["birth_date"] = birth_date_from_national_id(values["national_id"])
    if "business_id" in given:
        business_id = given["business_id"]
        values["business_id"] = problems.check(normalise_business_id, business_id) if business_id else None

    def final(field):
        return values[field] if field in values else getattr(party, field)

    if party.kind == Party.Kind.PERSON:
        if not final("last_name"):
            problems.add("last_name", _("This field is required."))
        if final("business_id"):
            problems.add("business_id", _("Only an organisation has a business ID."))
    elif party.kind == Party.Kind.ORGANISATION:
        if not final("name"):
            problems.add("name", _("This field is required."))
        if final("national_id"):
            problems.add("national_id", _("Only a person has a personal identity code."))
    return values


def _clean_collections(party: Party, given: Mapping, problems: _Problems) -> dict:
    cleaned: dict = {}
    for kind, field in _CONTACT_FIELD_BY_KIND.items():
        if given.get(field) is not None:
            cleaned[field] = (kind, _clean_contact_points(kind, given[field], field, problems))
    if given.get("segments") is not None:
        cleaned["segments"] = _clean_segments(given["segments"], problems)
    if given.get("consents") is not None:
        cleaned["consents"] = _clean_consents(given["consents"], problems)
    if given.get("contact_persons") is not None:
        cleaned["contact_persons"] = _clean_contact_persons(party, given["contact_persons"], problems)
    return cleaned


def _write_collections(party: Party, cleaned: dict) -> None:
    for field in ("phones", "emails", "addresses"):
        if field in cleaned:
            kind, points = cleaned[field]
            _write_contact_points(party, kind, points)
    if "segments" in cleaned:
        party.segments.set(cleaned["segments"])
    if "consents" in cleaned:
        _write_consents(party, cleaned["consents"])
    if "contact_persons" in cleaned:
        OrganisationContact.objects.filter(organisation=party).delete()
        OrganisationContact.objects.bulk_create(
            OrganisationContact(organisation=party, person=person, title=title)
            for person, title in cleaned["contact_persons"])


def _as_mapping(item, kind: str) -> Mapping:
    """Phones and emails may come as plain strings or as {value, label, is_primary}."""
    if isinstance(item, str):
        return {"value": item}
    if hasattr(item, "model_dump"):
        return item.model_dump()
    return item if isinstance(item, Mapping) else {}


def _clean_contact_points(kind: str, items: Iterable, field: str, problems: _Problems) -> list[ContactPoint]:
    points: list[ContactPoint] = []
    seen: set[str] = set()
    for index, raw in enumerate(items or []):
        item = _as_mapping(raw, kind)
        name = f"{field}.{index}"
        label = (item.get("label") or "").strip()
        if len(label) > 40:
            problems.add(name, _("The text is too long."))
        point = ContactPoint(kind=kind, label=label[:40], is_primary=bool(item.get("is_primary")))
        if kind == ContactPoint.Kind.PHONE:
            point.value = problems.check(normalise_phone, item.get("value") or "", name) or ""
        elif kind == ContactPoint.Kind.EMAIL:
            point.value = problems.check(normalise_email, item.get("value") or "", name) or ""
        else:
            _clean_address(point, item, name, problems)
        key = point.value if kind != ContactPoint.Kind.ADDRESS else f"{point.street}|{point.postal_code}"
        if point.value and key in seen:
            continue
        seen.add(key)
        points.append(point)
    # Exactly one primary of each kind, the first given unless another was marked.
    primaries = [point for point in points if point.is_primary]
    for point in points:
        point.is_primary = False
    if points:
        (primaries or points)[0].is_primary = True
    return points


def _clean_address(point: ContactPoint, item: Mapping, name: str, problems: _Problems) -> None:
    point.street = " ".join((item.get("street") or "").split())
    point.postal_code = (item.get("postal_code") or "").replace(" ", "")
    point.city = " ".join((item.get("city") or "").split())
    point.country = (item.get("country") or "FI").strip().upper()
    if not point.street or not point.city:
        problems.add(name, _("An address needs a street address and a post office."))
    if len(point.country) != 2 or not point.country.isalpha():
        problems.add(name, _("Give the country as a two-letter code, for example FI."))
    if point.country == "FI" and not (len(point.postal_code) == 5 and point.postal_code.isdigit()):
        problems.add(name, _("A Finnish postal code has five digits."))
    limits = {"street": 200, "postal_code": 10, "city": 100}
    if any(len(getattr(point, attribute)) > limit for attribute, limit in limits.items()):
        problems.add(name, _("The text is too long."))


def _write_contact_points(party: Party, kind: str, points: list[ContactPoint]) -> None:
    party.contact_points.filter(kind=kind).delete()
    for point in points:
        point.party = party
    ContactPoint.objects.bulk_create(points)


def _clean_segments(codes: Iterable[str], problems: _Problems) -> list:
    wanted = list(dict.fromkeys(codes or []))
    found = {segment.code: segment for segment in catalogue.segments().filter(code__in=wanted)}
    for code in wanted:
        if code not in found:
            problems.add("segments", _("Unknown code: %(code)s.") % {"code": code})
    return [found[code] for code in wanted if code in found]


def _clean_consents(consents: Mapping[str, bool], problems: _Problems) -> dict[str, bool]:
    cleaned: dict[str, bool] = {}
    for purpose, granted in (consents or {}).items():
        if not purpose or slugify(purpose) != purpose or len(purpose) > 60:
            problems.add("consents", _("Unknown consent purpose: %(purpose)s.") % {"purpose": purpose[:60]})
            continue
        cleaned[purpose] = bool(granted)
    return cleaned


def _write_consents(party: Party, consents: Mapping[str, bool]) -> None:
    for purpose, granted in consents.items():
        Consent.objects.update_or_create(party=party, purpose=purpose, defaults={"granted": granted})


def _clean_contact_persons(organisation: Party, items: Iterable, problems: _Problems) -> list:
    items = [_as_mapping(item, "contact_person") for item in items or []]
    ids = [item.get("party_id") for item in items]
    people = Party.objects.in_bulk([pk for pk in ids if isinstance(pk, int)])
    cleaned = []
    for index, item in enumerate(items):
        name = f"contact_persons.{index}"
        person = people.get(item.get("party_id"))
        if person is None:
            problems.add(name, _("No such customer."))
            continue
        _check_contact_person(organisation, person, name, problems)
        cleaned.append((person, (item.get("title") or "")[:100]))
    return cleaned


def _check_contact_person(organisation: Party, person: Party, field: str, problems: _Problems) -> None:
    if organisation.kind != Party.Kind.ORGANISATION:
        problems.add(field, _("Only an organisation has contact persons."))
    if person.kind != Party.Kind.PERSON:
        problems.add(field, _("A contact person must be a person."))


# --- shared steps ------------------------------------------------------------------------


def _refuse_duplicates(party: Party) -> None:
    for field in ("national_id", "business_id"):
        value = getattr(party, field)
        if not value:
            continue
        existing = Party.objects.filter(**{field: value}).exclude(pk=party.pk).first()
        if existing is not None:
            raise DuplicateParty(existing, field)


def _claim_version(party: Party, version: int) -> None:
    """Move the party to the next version if it is still at `version`.

    The check and the bump are one UPDATE, so two editors who both saw version 3 cannot both
    win, on SQLite or PostgreSQL; the row stays locked until the transaction ends."""
    claimed = Party.objects.filter(pk=party.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        message = _("Someone else changed this customer in the meantime. Reload it and try again.")
        raise Conflict(message, code="stale", fields={"version": [message]})
    party.version = version + 1


def _touch(party: Party) -> None:
    """Any change bumps the version, so an editor holding an older copy is told to reload."""
    Party.objects.filter(pk=party.pk).update(version=F("version") + 1, updated_at=timezone.now())
    party.refresh_from_db(fields=["version", "updated_at"])


def _audit(request, actor, action: str, party: Party, operation: str, *, object_type: str = "party",
           object_id=None) -> None:
    record(request, actor, action, object_type, object_id if object_id is not None else party.pk,
           party_id=party.pk, purpose="" if request is not None else operation)


# --- the Django admin --------------------------------------------------------------------


@transaction.atomic
def save_party_from_admin(actor, party: Party, *, created: bool, request: HttpRequest | None = None) -> Party:
    """The admin's form has validated the fields (with validation.py); this keeps the version,
    the duplicate check and the audit the same as for every other write."""
    _refuse_duplicates(party)
    if party.national_id:
        party.birth_date = birth_date_from_national_id(party.national_id)
    if not created:
        party.version = F("version") + 1
    party.save()
    party.refresh_from_db(fields=["version"])
    _audit(request, actor, AuditAction.CREATE if created else AuditAction.UPDATE, party, "admin")
    return party


@transaction.atomic
def save_customership_from_admin(actor, customership: Customership, *, created: bool,
                                 request: HttpRequest | None = None) -> Customership:
    _apply_customership_changes(customership, {})
    customership.save()
    _audit(request, actor, AuditAction.CREATE if created else AuditAction.UPDATE, customership.party, "admin",
           object_type="customership", object_id=customership.pk)
    return customership


# --- mandates (a person acts for an organisation) -----------------------------------------


def _check_mandate(mandate: Mandate) -> None:
    problems = _Problems()
    if mandate.person.kind != Party.Kind.PERSON:
        problems.add("person", _("A mandate is held by a person."))
    if mandate.organisation.kind != Party.Kind.ORGANISATION:
        problems.add("organisation", _("A mandate is given by an organisation."))
    if mandate.valid_until is not None and mandate.valid_until < mandate.valid_from:
        problems.add("valid_until", _("The end date cannot be before the start date."))
    problems.raise_if_any()


@transaction.atomic
def save_mandate_from_admin(actor, mandate: Mandate, *, created: bool,
                            request: HttpRequest | None = None) -> Mandate:
    """Grant or change a mandate. Who granted it is the staff member who first saved it."""
    _check_mandate(mandate)
    if created:
        mandate.granted_by = actor
    mandate.save()
    _audit(request, actor, AuditAction.CREATE if created else AuditAction.UPDATE, mandate.person, "admin",
           object_type="mandate", object_id=mandate.pk)
    return mandate


@transaction.atomic
def revoke_mandate(actor, mandate: Mandate, *, request: HttpRequest | None = None) -> Mandate:
    """End a mandate now. The row stays, so who could act for whom and when can still be told."""
    revoked = Mandate.objects.filter(pk=mandate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor)
    mandate.refresh_from_db(fields=["revoked_at", "revoked_by"])
    if revoked:
        _audit(request, actor, AuditAction.UPDATE, mandate.person, "revoke_mandate",
               object_type="mandate", object_id=mandate.pk)
    return mandate
