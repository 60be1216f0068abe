"""Service requests for tests, made through the real operations so that numbers, due dates
and history are the ones production would write."""

import factory

from aspa.customers.models import ContactPoint, Party
from aspa.identity.models import Role
from aspa.requests import operations
from aspa.requests.models import ServiceRequest, Status
from tests.factories.identity import UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    """A person customer, made directly (the customers app has its own operations and factories)."""

    class Meta:
        model = Party

    kind = Party.Kind.PERSON
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    search_name = factory.LazyAttribute(lambda p: f"{p.last_name} {p.first_name}".lower())
    language = "fi"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.ORGANISATION
    name = factory.Sequence(lambda n: f"Yhdistys {n} ry")
    search_name = factory.LazyAttribute(lambda p: p.name.lower())


def with_email(party: Party, email: str, primary: bool = True) -> Party:
    ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.EMAIL, value=email, is_primary=primary)
    return party


def resident_user(party: Party | None = None):
    return UserFactory(role=Role.RESIDENT, party=party or PersonFactory())


def file(actor, **overrides) -> ServiceRequest:
    """A request filed by `actor` on the phone, about general advice, unless told otherwise."""
    values = {"type": "question", "channel": "phone", "description": "Milloin jäteastia tyhjennetään?",
              "service": "yleisneuvonta"}
    values.update(overrides)
    return operations.file_request(actor, **values)


def in_status(status: str, actor, **file_overrides) -> ServiceRequest:
    """A request brought to `status` through the operations a real handler would run."""
    service_request = file(actor, **file_overrides)
    steps = {
        Status.RECEIVED: [],
        Status.IN_PROGRESS: [(operations.take, {})],
        Status.WAITING: [(operations.request_information, {"question": "Mikä on osoitteenne?"})],
        Status.FORWARDED: [(operations.forward, {"to_department": "rakennusvalvonta", "note": "Teidän asianne"})],
        Status.REDIRECTED: [(operations.redirect, {"guidance": "Ota yhteys Kelaan.", "organisation": "kela"})],
        Status.RESOLVED: [(operations.resolve, {"resolution": "Neuvottu puhelimessa."})],
        Status.CLOSED: [(operations.resolve, {"resolution": "Neuvottu puhelimessa."}), (operations.close, {})],
    }[status]
    for operation, fields in steps:
        operation(actor, service_request, version=service_request.version, **fields)
    assert service_request.status == status
    return service_request
