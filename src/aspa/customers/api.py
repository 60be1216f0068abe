"""/api/v1/parties: the customer register. Every read of a customer by staff is audited (by the
queries read through, with the caller as the reader)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from pydantic import AliasChoices

from aspa.api.pagination import ordering, paginate
from aspa.audit.reads import Reader
from aspa.customers import operations, queries
from aspa.customers.models import ContactPoint, Customership, Party
from aspa.identity.access import CENTRE_WIDE, STAFF, mask_national_id, require_role

router = Router(tags=["customers"])

Kind = Literal["person", "organisation"]
Language = Literal["fi", "sv", "en"]
Preference = Literal["email", "sms", "letter", "phone"]
CustomershipStatus = Literal["active", "ended", "suspended"]
SORTS = {"name": "search_name", "created_at": "created_at", "updated_at": "updated_at", "id": "id"}


# --- input -------------------------------------------------------------------------------


class PhoneIn(Schema):
    value: str = Field(..., max_length=40, description="Any common format; stored as E.164 (+358401234567).")
    label: str = Field("", max_length=40)
    is_primary: bool = False


class EmailIn(Schema):
    value: str = Field(..., max_length=254)
    label: str = Field("", max_length=40)
    is_primary: bool = False


class AddressIn(Schema):
    street: str = Field(..., max_length=200)
    postal_code: str = Field("", max_length=10)
    city: str = Field(..., max_length=100)
    country: str = Field("FI", min_length=2, max_length=2, description="ISO 3166 two-letter code.")
    label: str = Field("", max_length=40)
    is_primary: bool = False


class ContactPersonIn(Schema):
    party_id: int = Field(..., description="A person in the register who acts for the organisation.")
    title: str = Field("", max_length=100)


class PartyIn(Schema):
    kind: Kind
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100, description="Required for a person.")
    name: str = Field("", max_length=200, description="Required for an organisation.")
    national_id: str | None = Field(None, max_length=20, description="Henkilötunnus; a person may have none.")
    business_id: str | None = Field(None, max_length=20, description="Y-tunnus of an organisation.")
    birth_date: date | None = Field(None, description="Derived from the henkilötunnus when one is given.")
    language: Language = "fi"
    contact_preference: Preference = "email"
    non_disclosure: bool = False
    phones: list[PhoneIn | str] = Field(default_factory=list, max_length=20)
    emails: list[EmailIn | str] = Field(default_factory=list, max_length=20)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=10)
    segments: list[str] = Field(default_factory=list, max_length=50, description="Segment codes.")
    consents: dict[str, bool] = Field(default_factory=dict, description="Purpose → granted.")
    contact_persons: list[ContactPersonIn] = Field(default_factory=list, max_length=50)


class PartyPatch(Schema):
    """Only the fields given change; a list given replaces the list."""

    version: int = Field(..., description="The version you read; a newer one gives 409 stale.")
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    name: str | None = Field(None, max_length=200)
    national_id: str | None = Field(None, max_length=20)
    business_id: str | None = Field(None, max_length=20)
    birth_date: date | None = None
    language: Language | None = None
    contact_preference: Preference | None = None
    non_disclosure: bool | None = None
    phones: list[PhoneIn | str] | None = Field(None, max_length=20)
    emails: list[EmailIn | str] | None = Field(None, max_length=20)
    addresses: list[AddressIn] | None = Field(None, max_length=10)
    segments: list[str] | None = Field(None, max_length=50)
    consents: dict[str, bool] | None = None
    contact_persons: list[ContactPersonIn] | None = Field(None, max_length=50)


class CustomershipIn(Schema):
    service: str = Field(..., max_length=60, description="Service code from the catalogue.")
    started_on: date | None = Field(None, validation_alias=AliasChoices("started_on", "since"),
                                    description="Since (today if not given); `since` is accepted too.")
    status: CustomershipStatus = "active"
    ended_on: date | None = Field(None, validation_alias=AliasChoices("ended_on", "until"))
    note: str = Field("", max_length=200)


class CustomershipPatch(Schema):
    status: CustomershipStatus | None = None
    started_on: date | None = Field(None, validation_alias=AliasChoices("started_on", "since"))
    ended_on: date | None = Field(None, validation_alias=AliasChoices("ended_on", "until"))
    note: str | None = Field(None, max_length=200)


# --- output ------------------------------------------------------------------------------


class ContactPointOut(Schema):
    value: str
    label: str
    is_primary: bool


class AddressOut(Schema):
    street: str
    postal_code: str
    city: str
    country: str
    label: str
    is_primary: bool


class ContactPersonOut(Schema):
    party_id: int
    name: str
    title: str


class PartyOut(Schema):
    id: int
    kind: Kind
    display_name: str
    first_name: str
    last_name: str
    name: str
    national_id: str | None = Field(description="Masked (010190-****) in lists and for roles that need not see it.")
    business_id: str | None
    birth_date: date | None
    language: str
    contact_preference: str
    non_disclosure: bool
    addresses_hidden: bool = Field(description="True when a non-disclosure hides the addresses from you.")
    phones: list[ContactPointOut]
    emails: list[ContactPointOut]
    addresses: list[AddressOut]
    segments: list[str]
    consents: dict[str, bool]
    contact_persons: list[ContactPersonOut]
    version: int
    created_at: datetime
    updated_at: datetime


class PartyPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PartyOut]


class CustomershipOut(Schema):
    id: int
    party_id: int
    service: str
    service_name: str
    status: CustomershipStatus
    started_on: date
    ended_on: date | None
    note: str


def _party_out(party: Party, user, *, in_list: bool) -> dict:
    points = list(party.contact_points.all())
    shows_addresses = queries.shows_addresses(user, party)
    full_id = queries.shows_full_national_id(user, party, in_list=in_list)

    def simple(kind):
        return [{"value": p.value, "label": p.label, "is_primary": p.is_primary} for p in points if p.kind == kind]

    return {
        "id": party.pk, "kind": party.kind, "display_name": party.display_name,
        "first_name": party.first_name, "last_name": party.last_name, "name": party.name,
        "national_id": party.national_id if full_id else mask_national_id(party.national_id),
        "business_id": party.business_id, "birth_date": party.birth_date,
        "language": party.language, "contact_preference": party.contact_preference,
        "non_disclosure": party.non_disclosure, "addresses_hidden": not shows_addresses,
        "phones": simple(ContactPoint.Kind.PHONE),
        "emails": simple(ContactPoint.Kind.EMAIL),
        "addresses": [
            {"street": p.street, "postal_code": p.postal_code, "city": p.city, "country": p.country,
             "label": p.label, "is_primary": p.is_primary}
            for p in points if p.kind == ContactPoint.Kind.ADDRESS
        ] if shows_addresses else [],
        "segments": sorted(segment.code for segment in party.segments.all()),
        "consents": {consent.purpose: consent.granted for consent in party.consents.all()},
        "contact_persons": [
            {"party_id": link.person_id, "name": link.person.display_name, "title": link.title}
            for link in party.contact_persons.all()
        ],
        "version": party.version, "created_at": party.created_at, "updated_at": party.updated_at,
    }


def _customership_out(customership: Customership) -> dict:
    return {"id": customership.pk, "party_id": customership.party_id, "service": customership.service.code,
            "service_name": customership.service.name, "status": customership.status,
            "started_on": customership.started_on, "ended_on": customership.ended_on, "note": customership.note}


def _echo(request, party_id: int) -> dict:
    """The party as the caller has just written it. Not audited as a read, as before: the
    operation has audited the write."""
    return _party_out(queries.get_party_for(Reader.unaudited(request.auth), party_id), request.auth, in_list=False)


# --- parties -----------------------------------------------------------------------------


@router.get("", response=PartyPage, summary="Find customers (staff)")
def list_parties(request, q: str | None = None, national_id: str | None = None, business_id: str | None = None,
                 phone: str | None = None, email: str | None = None, name: str | None = None,
                 segment: str | None = None, kind: Kind | None = None,
                 page: int = 1, page_size: int = 20, sort: str | None = None):
    """`q` takes a henkilötunnus, Y-tunnus, phone number (any format), email address or the
    beginning of a name ("Hämäläinen Ma", "matti häm"). Identity codes are masked here."""
    require_role(request.auth, STAFF)
    parties = queries.find_parties(
        Reader.of(request), q=q, national_id=national_id, business_id=business_id, phone=phone, email=email,
        name=name, segment=segment, kind=kind,
    ).order_by(*ordering(sort, SORTS, "search_name"))
    # The page of parties fetched is what the audit log records.
    return paginate(parties, page, page_size, lambda party: _party_out(party, request.auth, in_list=True))


@router.post("", response={201: PartyOut}, summary="Add a customer")
def create_party(request, payload: PartyIn):
    require_role(request.auth, CENTRE_WIDE)
    party = operations.create_party(request.auth, request=request, **payload.model_dump())
    return Status(201, _echo(request, party.pk))


@router.get("/{int:party_id}", response=PartyOut, summary="A customer")
def get_party(request, party_id: int):
    party = queries.get_party_for(Reader.of(request), party_id)
    return _party_out(party, request.auth, in_list=False)


@router.patch("/{int:party_id}", response=PartyOut, summary="Change a customer (with the version you read)")
def update_party(request, party_id: int, payload: PartyPatch):
    party = queries.get_party_for_update(request.auth, party_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    operations.update_party(request.auth, party, version=version, changes=changes, request=request)
    return _echo(request, party_id)


# --- customerships -----------------------------------------------------------------------


@router.get("/{int:party_id}/customerships", response=list[CustomershipOut], summary="Services the customer uses")
def list_customerships(request, party_id: int):
    _party, customerships = queries.customerships_for(Reader.of(request), party_id)
    return [_customership_out(customership) for customership in customerships]


@router.post("/{int:party_id}/customerships", response={201: CustomershipOut}, summary="Record a customership")
def create_customership(request, party_id: int, payload: CustomershipIn):
    require_role(request.auth, CENTRE_WIDE)
    # The party that the new customership is recorded for: the operation audits the write.
    party = queries.get_party_for(Reader.unaudited(request.auth), party_id)
    customership = operations.record_customership(request.auth, party, request=request, **payload.model_dump())
    return Status(201, _customership_out(customership))


@router.patch("/{int:party_id}/customerships/{int:customership_id}", response=CustomershipOut,
              summary="Change or end a customership")
def update_customership(request, party_id: int, customership_id: int, payload: CustomershipPatch):
    require_role(request.auth, CENTRE_WIDE)
    customership = queries.get_customership_for(request.auth, party_id, customership_id)
    operations.update_customership(request.auth, customership, changes=payload.model_dump(exclude_unset=True),
                                   request=request)
    return _customership_out(customership)
