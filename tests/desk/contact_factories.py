"""A desk for the contact tests: the desk world (tests.desk.factories) with a customer who has a
phone number and an email address, organisations with guidance, and contact requests."""

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone

from aspa.catalogue.models import ExternalOrganisation
from aspa.contacts.models import ContactRequest
from aspa.customers.models import ContactPoint
from tests.desk.factories import DeskWorld, make_desk_world
from tests.factories.catalogue import Catalogue

CUSTOMER_PHONE = "+358401234567"
CUSTOMER_PHONE_TYPED = "040 123 4567"
CUSTOMER_EMAIL = "maija.meikalainen@example.fi"


@dataclass
class ContactWorld:
    desk: DeskWorld
    catalogue: Catalogue
    kela: ExternalOrganisation


def make_contact_world(catalogue: Catalogue, advisor_language: str = "en") -> ContactWorld:
    desk = make_desk_world(catalogue, advisor_language=advisor_language)
    ContactPoint.objects.create(party=desk.customer, kind=ContactPoint.Kind.PHONE, value=CUSTOMER_PHONE,
                                is_primary=True)
    ContactPoint.objects.create(party=desk.customer, kind=ContactPoint.Kind.EMAIL, value=CUSTOMER_EMAIL,
                                is_primary=True)
    catalogue.advice.keywords = "neuvonta, aukioloajat, opening hours"
    catalogue.advice.save(update_fields=["keywords"])
    catalogue.permit.keywords = "autotalli, bygglov, garage"
    catalogue.permit.save(update_fields=["keywords"])
    kela = catalogue.kela
    kela.guidance_fi = "Kelan asiat hoidetaan Kelan palvelunumerossa."
    kela.guidance_sv = "FPA:s ärenden sköts via FPA:s servicenummer."
    kela.guidance_en = "Kela's matters are handled at Kela's service number."
    kela.phone = "020 692 201"
    kela.save()
    return ContactWorld(desk=desk, catalogue=catalogue, kela=kela)


def in_hours(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


class ContactRequestFactory(factory.django.DjangoModelFactory):
    """A contact request stored directly, for list and query tests (the operation is tested on its own)."""

    class Meta:
        model = ContactRequest

    contact_name = factory.Faker("name", locale="fi_FI")
    contact_phone = CUSTOMER_PHONE
    about = "Soittopyyntö lupa-asiasta"
    due_at = factory.LazyFunction(lambda: in_hours(24))
    preferred_channel = ContactRequest.PreferredChannel.PHONE
