"""Two residents with errands in different states, made through the real operations."""

from dataclasses import dataclass

from aspa.customers.models import ContactPoint, Party
from aspa.identity.models import Role, User
from aspa.requests import operations
from aspa.requests.models import Message, ServiceRequest, Status
from tests.factories.catalogue import Catalogue
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, in_status, with_email

INTERNAL_NOTE = "Sisäinen huomio: asiakas soittaa usein."
QUESTION = "Mikä on osoitteenne?"


@dataclass
class PortalWorld:
    advisor: User
    resident: User
    party: Party
    neighbour: User
    received: ServiceRequest
    waiting: ServiceRequest  # the centre asked the resident a question
    closed: ServiceRequest
    neighbours: ServiceRequest


def make_portal_world(catalogue: Catalogue) -> PortalWorld:
    advisor = UserFactory(username="neuvoja", role=Role.ADVISOR, department=catalogue.centre,
                          last_name="Neuvojanen")  # never the resident's own random surname
    party = with_email(PersonFactory(first_name="Maija", last_name="Meikäläinen", language="sv"), "maija@example.fi")
    ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.PHONE, value="+358401234567")
    resident = UserFactory(username="maija", role=Role.RESIDENT, party=party)
    neighbour = UserFactory(username="naapuri", role=Role.RESIDENT, party=PersonFactory(last_name="Naapuri"))

    closed = in_status(Status.CLOSED, advisor, party=party.pk, description="Vanha asia")
    received = in_status(Status.RECEIVED, advisor, party=party.pk, description="Katulamppu ei pala")
    waiting = in_status(Status.WAITING, advisor, party=party.pk, description="Pysäköintitunnus")
    operations.add_message(advisor, waiting, body=INTERNAL_NOTE, visibility=Message.Visibility.INTERNAL)
    neighbours = in_status(Status.RECEIVED, advisor, party=neighbour.party_id, description="Naapurin asia")
    return PortalWorld(advisor=advisor, resident=resident, party=party, neighbour=neighbour, received=received,
                       waiting=waiting, closed=closed, neighbours=neighbours)
