"""Contact requests (yhteydenottopyyntö): the centre never transfers a call, it leaves a request for
someone to contact the customer. Who may leave, see and close them, and the lists of what is due."""

import datetime

import pytest
from django.utils import timezone

from aspa.audit.models import AuditEntry
from aspa.contacts import operations, queries
from aspa.contacts.models import ContactRequest
from aspa.errors import Conflict, Forbidden, InvalidInput, NotFound
from aspa.identity.models import Role
from tests.desk.contact_factories import ContactRequestFactory, in_hours, make_contact_world
from tests.factories.identity import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogue):
    return make_contact_world(catalogue)


def leave(world, **overrides):
    values = {"about": "Soita asiakkaalle autotallin luvasta", "due_at": in_hours(24), "party": world.desk.customer.pk,
              "to_user": world.desk.expert.pk}
    values.update(overrides)
    return operations.create_contact_request(world.desk.advisor, **values)


def test_a_request_left_for_an_expert_reaches_them_their_team_and_department(world):
    desk = world.desk
    contact_request = leave(world)
    assert contact_request.assignee == desk.expert
    assert contact_request.team == desk.expert.team
    assert contact_request.department == world.catalogue.building
    assert contact_request.status == ContactRequest.Status.OPEN
    assert contact_request.language == desk.customer.language
    colleague_in_department = UserFactory(role=Role.EXPERT, department=world.catalogue.building)
    expert_elsewhere = UserFactory(role=Role.EXPERT, department=world.catalogue.centre)
    assert list(queries.contact_requests_for(desk.expert, scope="mine")) == [contact_request]
    assert list(queries.contact_requests_for(colleague_in_department)) == [contact_request]
    assert list(queries.contact_requests_for(colleague_in_department, scope="mine")) == []
    assert list(queries.contact_requests_for(expert_elsewhere)) == []
    with pytest.raises(NotFound):
        queries.get_contact_request_for(expert_elsewhere, contact_request.pk)
    assert AuditEntry.objects.filter(object_type="contact_request", action="create",
                                     party_id=desk.customer.pk).exists()


def test_a_request_left_for_a_team_or_department_names_the_owning_department(world):
    by_team = leave(world, to_user=None, to_team=world.catalogue.building_team.code)
    by_department = leave(world, to_user=None, to_department=world.catalogue.building.code)
    assert (by_team.assignee, by_team.team, by_team.department) == (
        None, world.catalogue.building_team, world.catalogue.building)
    assert (by_department.assignee, by_department.team, by_department.department) == (
        None, None, world.catalogue.building)
    assert list(queries.contact_requests_for(world.desk.expert, scope="team")) == [by_team]
    assert set(queries.contact_requests_for(world.desk.expert, scope="department")) == {by_team, by_department}


def test_exactly_one_recipient_and_a_future_time_are_required(world):
    with pytest.raises(InvalidInput) as both:
        leave(world, to_team=world.catalogue.building_team.code, due_at=timezone.now() - datetime.timedelta(hours=2))
    assert set(both.value.fields) == {"to", "due_at"}
    with pytest.raises(InvalidInput) as nobody:
        leave(world, to_user=None, about=" ")
    assert set(nobody.value.fields) == {"to", "about"}
    with pytest.raises(InvalidInput) as resident:
        leave(world, to_user=world.desk.resident.pk)
    assert "to" in resident.value.fields
    assert not ContactRequest.objects.exists()


def test_an_unknown_caller_leaves_a_name_and_a_number_to_call_back(world):
    with pytest.raises(InvalidInput) as missing:
        leave(world, party=None)
    assert set(missing.value.fields) == {"contact_name", "contact_phone"}
    with pytest.raises(InvalidInput) as bad_phone:
        leave(world, party=None, contact_name="Pekka", contact_phone="12")
    assert set(bad_phone.value.fields) == {"contact_phone"}
    with pytest.raises(InvalidInput) as no_email:
        leave(world, party=None, contact_name="Pekka", contact_phone="040 765 4321", preferred_channel="email")
    assert set(no_email.value.fields) == {"contact_email"}
    left = leave(world, party=None, contact_name="Pekka", contact_phone="040 765 4321")
    assert left.contact_phone == "+358407654321"
    assert left.customer_label == "Pekka"


def test_a_known_customer_without_an_email_address_cannot_be_promised_an_email(world):
    world.desk.customer.contact_points.filter(kind="email").delete()
    with pytest.raises(InvalidInput) as no_email:
        leave(world, preferred_channel="email")
    assert set(no_email.value.fields) == {"preferred_channel"}
    assert leave(world, preferred_channel="email", contact_email="maija@example.fi").contact_email == "maija@example.fi"


def test_residents_neither_leave_nor_see_contact_requests(world):
    leave(world)
    with pytest.raises(Forbidden):
        operations.create_contact_request(world.desk.resident, about="x", due_at=in_hours(1),
                                          to_user=world.desk.expert.pk)
    assert list(queries.contact_requests_for(world.desk.resident, scope="all")) == []


def test_the_expert_marks_it_done_once_and_others_outside_cannot(world):
    contact_request = leave(world)
    outsider = UserFactory(role=Role.EXPERT, department=world.catalogue.centre)
    same_department = UserFactory(role=Role.EXPERT, department=world.catalogue.building)
    for someone in (outsider, same_department, world.desk.resident):
        with pytest.raises(Forbidden):
            operations.complete_contact_request(someone, contact_request)
    done = operations.complete_contact_request(world.desk.expert, contact_request, outcome_note="Soitettu, neuvottu.")
    assert (done.status, done.done_by, done.outcome_note) == ("done", world.desk.expert, "Soitettu, neuvottu.")
    assert done.done_at is not None
    with pytest.raises(Conflict):
        operations.complete_contact_request(world.desk.expert, contact_request)
    assert list(queries.contact_requests_for(world.desk.expert)) == []
    assert list(queries.contact_requests_for(world.desk.expert, status="done")) == [done]


def test_anyone_of_the_team_may_handle_a_request_left_for_the_team_and_the_advisor_may_cancel_theirs(world):
    for_team = leave(world, to_user=None, to_team=world.catalogue.building_team.code)
    team_mate = UserFactory(role=Role.EXPERT, department=world.catalogue.building, team=world.catalogue.building_team)
    assert operations.complete_contact_request(team_mate, for_team).status == "done"
    mine = leave(world)
    cancelled = operations.cancel_contact_request(world.desk.advisor, mine, reason="Asiakas soitti uudelleen.")
    assert (cancelled.status, cancelled.outcome_note) == ("cancelled", "Asiakas soitti uudelleen.")


def test_due_today_and_overdue_lists_and_counts(world):
    expert = world.desk.expert
    today = timezone.localdate()
    late_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 59)))
    tomorrow = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(12)))
    overdue = ContactRequestFactory(assignee=expert, department=expert.department, due_at=in_hours(-30))
    due_today = ContactRequestFactory(assignee=expert, department=expert.department, due_at=late_today)
    ContactRequestFactory(assignee=expert, department=expert.department, due_at=tomorrow)
    ContactRequestFactory(assignee=expert, department=expert.department, due_at=late_today,
                          status="done", done_at=timezone.now())
    ContactRequestFactory(department=world.catalogue.centre, due_at=late_today)  # someone else's
    assert list(queries.contact_requests_due_today(expert)) == [due_today]
    assert list(queries.overdue_contact_requests(expert)) == [overdue]
    assert queries.contact_request_counts(expert) == {"open": 3, "due_today": 1, "overdue": 1}
    assert queries.contact_request_counts(world.desk.resident) == {"open": 0, "due_today": 0, "overdue": 0}


def test_unknown_scopes_and_statuses_are_refused(world):
    with pytest.raises(InvalidInput):
        list(queries.contact_requests_for(world.desk.expert, scope="everyone"))
    with pytest.raises(InvalidInput):
        list(queries.contact_requests_for(world.desk.expert, status="maybe"))
