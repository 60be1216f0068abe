"""Turning what a caller gives (names, identity codes, phones, emails, addresses, segments,
consents, contact persons) into stored form; every problem is collected, not just the first."""

from collections.abc import Iterable, Mapping

from django.utils.text import slugify
from django.utils.translation import gettext as _

from aspa.catalogue import queries as catalogue
from aspa.customers.models import LANGUAGES, Consent, ContactPoint, OrganisationContact, Party
from aspa.customers.operations.shared import _Problems
from aspa.customers.validation import (
    birth_date_from_national_id,
    normalise_business_id,
    normalise_email,
    normalise_national_id,
    normalise_phone,
)

_CONTACT_FIELD_BY_KIND = {ContactPoint.Kind.PHONE: "phones", ContactPoint.Kind.EMAIL: "emails",
                          ContactPoint.Kind.ADDRESS: "addresses"}


def _clean_party_fields(party: Party, given: Mapping, problems: _Problems) -> dict:
    """The given scalar fields in stored form, checked against the party's kind."""
    values: dict = {}
    for field in ("first_name", "last_name", "name"):
        if field in given:
            text = " ".join((given[field] or "").split())
            limit = getattr(Party._meta.get_field(field), "max_length", None)
            if limit is not None and len(text) > limit:
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

