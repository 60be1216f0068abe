"""Customers for tests: people with valid test henkilötunnus codes, organisations with valid
Y-tunnus, their contact points and customerships."""

import datetime
import random

import factory
from stdnum.fi import hetu, ytunnus

from aspa.customers.models import ContactPoint, Customership, OrganisationContact, Party
from aspa.customers.validation import birth_date_from_national_id

_HETU_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def make_national_id(birth_date: datetime.date | None = None, individual: int | None = None) -> str:
    """A valid henkilötunnus; the individual number is in the test range 900–999 unless given.

    The check character is the one python-stdnum accepts, so no checksum is written here."""
    born = birth_date or datetime.date(1950, 1, 1) + datetime.timedelta(days=random.randrange(25_000))
    century = {1800: "+", 1900: "-", 2000: "A"}[born.year // 100 * 100]
    number = individual if individual is not None else random.randrange(900, 1000)
    base = f"{born:%d%m}{born.year % 100:02d}{century}{number:03d}"
    return next(base + c for c in _HETU_CHECK_CHARACTERS if hetu.is_valid(base + c, allow_temporary=True))


def make_business_id() -> str:
    """A valid Y-tunnus 1234567-8 (the check digit found by python-stdnum)."""
    while True:
        base = f"{random.randrange(1_000_000, 9_999_999)}"
        for check in "0123456789":
            if ytunnus.is_valid(f"{base}-{check}"):
                return f"{base}-{check}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        skip_postgeneration_save = True

    kind = Party.Kind.PERSON
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    national_id = factory.LazyFunction(make_national_id)
    birth_date = factory.LazyAttribute(
        lambda party: birth_date_from_national_id(party.national_id) if party.national_id else None
    )
    language = "fi"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        skip_postgeneration_save = True

    kind = Party.Kind.ORGANISATION
    name = factory.Sequence(lambda n: f"Esimerkki Oy {n}")
    business_id = factory.LazyFunction(make_business_id)


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    party = factory.SubFactory(PersonFactory)
    kind = ContactPoint.Kind.PHONE
    value = factory.Sequence(lambda n: f"+35840{1000000 + n}")
    is_primary = True


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    party = factory.SubFactory(PersonFactory)
    kind = ContactPoint.Kind.EMAIL
    value = factory.Sequence(lambda n: f"asiakas{n}@esimerkkila.fi")
    is_primary = True


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    party = factory.SubFactory(PersonFactory)
    kind = ContactPoint.Kind.ADDRESS
    street = factory.Sequence(lambda n: f"Kauppurienkatu {n + 1}")
    postal_code = "90100"
    city = "Oulu"
    is_primary = True


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationContact

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory)
    title = "toimitusjohtaja"


class CustomershipFactory(factory.django.DjangoModelFactory):
    """Needs service=...: the catalogue comes from the `catalogue` fixture."""

    class Meta:
        model = Customership

    party = factory.SubFactory(PersonFactory)
    started_on = datetime.date(2024, 1, 1)
    status = Customership.Status.ACTIVE

