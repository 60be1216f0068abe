"""Customers with a history for the desk's search and customer-view tests: requests, contacts
and documents made straight in the database (fast), with their own request numbers so they
never collide with the numbers the real filing operation gives."""

import datetime
import itertools

from django.utils import timezone

from aspa.customers.models import Consent, ContactPoint, Party
from aspa.requests.models import Attachment, ServiceRequest, Status
from tests.factories.catalogue import Catalogue
from tests.factories.contacts import ContactFactory, ServiceRequestFactory
from tests.factories.customers import CustomershipFactory, PersonFactory, make_national_id

# Far above what the filing operation hands out in a test, so the numbers never collide.
_serials = itertools.count(700_001)


def person(first_name: str = "Maija", last_name: str = "Hämäläinen", *, phone: str | None = "+358401234567",
           email: str | None = "maija.hamalainen@example.fi", street: str | None = "Kauppurienkatu 5",
           **fields) -> Party:
    party = PersonFactory(first_name=first_name, last_name=last_name,
                          national_id=fields.pop("national_id", None) or make_national_id(), **fields)
    if phone:
        ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.PHONE, value=phone, is_primary=True)
    if email:
        ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.EMAIL, value=email, is_primary=True)
    if street:
        ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.ADDRESS, street=street,
                                    postal_code="90100", city="Oulu", is_primary=True)
    return party


def history_request(party: Party, *, status: str = Status.CLOSED, service=None, year: int = 2019,
                    **fields) -> ServiceRequest:
    extra = {"service": service, "department": service.department} if service is not None else {}
    return ServiceRequestFactory(party=party, status=status, number=f"ESI-{year}-{next(_serials):06d}",
                                 **extra, **fields)


def give_history(catalogue: Catalogue, party: Party, staff, size: int) -> list[ServiceRequest]:
    """`size` past requests, `size` contacts about them and one document on each request."""
    requests = [history_request(party, created_at=timezone.now() - datetime.timedelta(days=size - index))
                for index in range(size)]
    for index, service_request in enumerate(requests):
        ContactFactory(party=party, staff=staff, channel=catalogue.phone, requests=[service_request],
                       topics=[catalogue.advice],
                       started_at=timezone.now() - datetime.timedelta(days=size - index, minutes=5))
        Attachment.objects.create(request=service_request, file=f"attachments/test/{index}.pdf",
                                  original_name=f"liite-{index}.pdf", content_type="application/pdf",
                                  size=1000 + index, sha256="0" * 64)
    return requests


def give_details(catalogue: Catalogue, party: Party) -> None:
    party.segments.add(catalogue.segment)
    Consent.objects.create(party=party, purpose="email-notifications", granted=True)
    CustomershipFactory(party=party, service=catalogue.permit, note="Omakotitalo")
