"""Factories for the contacts tests: contacts, and the customers and requests they are about."""

import datetime
import secrets

import factory
from django.utils import timezone

from aspa.contacts.models import Contact, Outcome
from aspa.customers.models import Party
from aspa.identity.models import ApiToken, Role
from aspa.requests.models import ServiceRequest
from tests.factories.identity import UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.PERSON
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    search_name = factory.LazyAttribute(lambda p: f"{p.last_name} {p.first_name}".lower())


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request as filed; build the catalogue first (the `catalogue` fixture)."""

    class Meta:
        model = ServiceRequest

    number = factory.Sequence(lambda n: f"ESI-2026-{n + 1:06d}")
    type = factory.LazyFunction(lambda: _catalogue_entry("RequestType", "question"))
    channel = factory.LazyFunction(lambda: _catalogue_entry("Channel", "phone"))
    service = factory.LazyFunction(lambda: _catalogue_entry("Service", "yleisneuvonta"))
    department = factory.LazyAttribute(lambda r: r.service.department)
    description = "Kysymys aukioloajoista."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    created_at = factory.LazyFunction(timezone.now)


def _catalogue_entry(model_name: str, code: str):
    from django.apps import apps

    return apps.get_model("catalogue", model_name).objects.get(code=code)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    channel = factory.LazyFunction(lambda: _catalogue_entry("Channel", "phone"))
    party = factory.SubFactory(PersonFactory)
    staff = factory.SubFactory(UserFactory, role=Role.ADVISOR)
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=10))
    ended_at = factory.LazyAttribute(lambda c: c.started_at + datetime.timedelta(minutes=4))
    outcome = Outcome.ANSWERED
    notes = "Neuvottu aukioloajoista."

    @factory.post_generation
    def requests(self, create, extracted, **kwargs):
        if create and extracted:
            self.requests.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


def token_client(user, language: str = "en"):
    """An API client for any user, residents included (the token command makes staff tokens only)."""
    from tests.conftest import ApiClient

    key = "aspa_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=f"test-{user.username}", prefix=key[:12], key_hash=ApiToken.hash_key(key))
    return ApiClient(user, key, language)


def resident_with_party(**party_fields):
    party = PersonFactory(**party_fields)
    return UserFactory(role=Role.RESIDENT, party=party), party
