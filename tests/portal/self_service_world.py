"""An organisation with a representative, mandates in every state, and the organisation's errands."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from aspa.customers.models import Mandate, Party
from aspa.identity.models import User
from aspa.requests.models import ServiceRequest, Status
from tests.factories.requests import OrganisationFactory, in_status, with_email
from tests.portal.factories import PortalWorld

ORGANISATION_ERRAND = "Yrityksen mainoskyltti"


def organisation(name: str = "Kahvila Kulma Oy", business_id: str = "1572860-0") -> Party:
    return OrganisationFactory(name=name, business_id=business_id)


def mandate(person: Party, organisation_party: Party, *, granted_by: User | None = None, days_ago: int = 30,
            days_left: int | None = None, revoked: bool = False) -> Mandate:
    today = timezone.localdate()
    return Mandate.objects.create(
        person=person, organisation=organisation_party, valid_from=today - datetime.timedelta(days=days_ago),
        valid_until=today + datetime.timedelta(days=days_left) if days_left is not None else None,
        granted_by=granted_by, revoked_at=timezone.now() if revoked else None, note="Kaupparekisteriote")


@dataclass
class OrganisationWorld:
    organisation: Party
    mandate: Mandate
    errand: ServiceRequest  # the organisation's, waiting for an answer


def with_organisation(world: PortalWorld) -> OrganisationWorld:
    """Maija represents Kahvila Kulma Oy, which has one errand waiting for its answer."""
    company = with_email(organisation(), "kahvila@example.fi")
    given = mandate(world.party, company, granted_by=world.advisor)
    errand = in_status(Status.WAITING, world.advisor, party=company.pk, description=ORGANISATION_ERRAND)
    return OrganisationWorld(organisation=company, mandate=given, errand=errand)
