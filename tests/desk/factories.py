"""A small working day for the desk: staff of the service centre and of building control,
and requests in each of the desk's queues, made through the real operations."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from aspa.catalogue.models import Team
from aspa.customers.models import Party
from aspa.identity.models import Role, User
from aspa.requests import operations
from aspa.requests.models import ServiceRequest, Status
from tests.factories.catalogue import Catalogue
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, file, in_status

PASSWORD = "correct horse battery"


@dataclass
class DeskWorld:
    advisor: User
    colleague: User
    expert: User
    resident: User
    customer: Party
    mine: ServiceRequest  # in progress, handled by the advisor, about a person
    team: ServiceRequest  # of the advisor's team, handled by the colleague
    unassigned: ServiceRequest  # received at the centre, nobody handles it
    building: ServiceRequest  # received for building control, nobody handles it
    overdue: ServiceRequest  # handled by the colleague, past its due date
    waiting: ServiceRequest  # waiting for the customer
    closed: ServiceRequest


def make_desk_world(catalogue: Catalogue, advisor_language: str = "en") -> DeskWorld:
    centre_team = Team.objects.create(code="neuvonta", name_fi="Neuvonta", name_sv="Rådgivning",
                                      name_en="Advice", department=catalogue.centre)
    advisor = UserFactory(username="neuvoja", first_name="Nea", last_name="Neuvoja", role=Role.ADVISOR,
                          department=catalogue.centre, team=centre_team, language=advisor_language)
    colleague = UserFactory(username="kollega", first_name="Kalle", last_name="Kollega", role=Role.ADVISOR,
                            department=catalogue.centre, team=centre_team)
    expert = UserFactory(username="asiantuntija", first_name="Aino", last_name="Asiantuntija", role=Role.EXPERT,
                         department=catalogue.building, team=catalogue.building_team)
    customer = PersonFactory(first_name="Maija", last_name="Meikäläinen")
    resident = UserFactory(username="asukas", role=Role.RESIDENT, party=customer)

    mine = in_status(Status.IN_PROGRESS, advisor, party=customer.pk)
    team = file(advisor)
    operations.assign(advisor, team, version=team.version, assignee=colleague.pk, team=centre_team.code)
    unassigned = file(advisor, description="Missä on lähin kirjasto?")
    building = file(advisor, type="application", service="rakennuslupa", description="Autotallin lupa")
    overdue = in_status(Status.IN_PROGRESS, colleague)
    ServiceRequest.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    overdue.refresh_from_db()
    waiting = in_status(Status.WAITING, advisor, party=customer.pk)
    closed = in_status(Status.CLOSED, advisor)
    return DeskWorld(advisor=advisor, colleague=colleague, expert=expert, resident=resident, customer=customer,
                     mine=mine, team=team, unassigned=unassigned, building=building, overdue=overdue,
                     waiting=waiting, closed=closed)
