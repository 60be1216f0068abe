"""A city for process tests: the real demo catalogue (its teams and departments are the ones the
shipped BPMN files name), the shipped processes loaded, and the people who do the tasks."""

from dataclasses import dataclass

import pytest
from django.test import Client

from aspa.catalogue.models import Department, Team
from aspa.catalogue.operations import load_catalogue
from aspa.identity.models import Role, User
from aspa.processes.operations import load_shipped
from aspa.processes.queries import work_list
from aspa.requests import operations as request_operations
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, resident_user, with_email


@dataclass
class City:
    advisor: User
    marina: User  # expert of the marina team
    allotments: User  # another team of the same department
    streets_permits: User
    parking: User
    registry: User
    registry_expert: User  # kirjaamo, no team
    centre_supervisor: User
    marina_supervisor: User

    def resident(self, language: str = "fi", email: str = "asukas@example.fi") -> User:
        user = resident_user(with_email(PersonFactory(language=language), email))
        return user


def _staff(role, department: str, team: str | None = None, **extra) -> User:
    return UserFactory(role=role, department=Department.objects.get(code=department),
                       team=Team.objects.get(code=team) if team else None, **extra)


@pytest.fixture
def city(db) -> City:
    return make_city()


def make_city() -> City:
    load_catalogue()
    load_shipped()
    return City(
        advisor=_staff(Role.ADVISOR, "aspa", "aspa-palvelupiste"),
        marina=_staff(Role.EXPERT, "satama", "satama-venepaikat"),
        allotments=_staff(Role.EXPERT, "satama", "satama-palstat"),
        streets_permits=_staff(Role.EXPERT, "katu", "katu-luvat"),
        parking=_staff(Role.EXPERT, "pysakointi"),
        registry=_staff(Role.EXPERT, "kirjaamo", "kirjaamo-kirjaus"),
        registry_expert=_staff(Role.EXPERT, "kirjaamo"),
        centre_supervisor=_staff(Role.SUPERVISOR, "aspa", email="esimies@esimerkkila.fi"),
        marina_supervisor=_staff(Role.SUPERVISOR, "satama", email="satamaesimies@esimerkkila.fi", language="sv"),
    )


def file_for(resident: User, service: str, type: str, description: str = "Hakemus", **extra):
    return request_operations.file_request(resident, type=type, channel="web", service=service,
                                           description=description, **extra)


def task_for(user: User, bpmn_id: str):
    """The user's open task of that BPMN element, as their work list shows it."""
    return work_list(user).get(bpmn_id=bpmn_id)


def complete_on_desk(user: User, task, choice: str, note: str = "", language: str = "en"):
    """Complete the task the way a person does: the form on the request's desk page."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    data = {"choice": choice}
    if note:
        data["note"] = note
    return client.post(f"/desk/requests/{task.request.number}/process-tasks/{task.pk}/", data)
