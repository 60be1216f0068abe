"""The contact request list and the desk's contact card: what is due for me, my team and my
department, marking one done, and a fixed number of queries however long the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspa.contacts.models import ContactRequest
from aspa.identity.models import Role
from tests.desk.contact_factories import ContactRequestFactory, in_hours, make_contact_world
from tests.factories.identity import UserFactory
from tests.factories.requests import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogue):
    return make_contact_world(catalogue)


def for_expert(world, **overrides) -> ContactRequest:
    expert = world.desk.expert
    values = {"assignee": expert, "team": expert.team, "department": expert.department, "created_by": world.desk.advisor}
    values.update(overrides)
    return ContactRequestFactory(**values)


def test_an_expert_sees_their_departments_contact_requests_and_marks_their_own_done(world, signed_in):
    mine = for_expert(world, about="Soita lupa-asiasta")
    department = ContactRequestFactory(department=world.catalogue.building, about="Osaston soittopyyntö")
    ContactRequestFactory(department=world.catalogue.centre, about="Keskuksen soittopyyntö")
    client = signed_in(world.desk.expert)
    page = client.get("/desk/contacts/requests/").content.decode()
    assert "Soita lupa-asiasta" in page and "Osaston soittopyyntö" in page
    assert "Keskuksen soittopyyntö" not in page
    assert f"/desk/contacts/requests/{mine.pk}/done/" in page
    response = client.post(f"/desk/contacts/requests/{mine.pk}/done/", {"outcome_note": "Soitettu."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.done_by, mine.outcome_note) == ("done", world.desk.expert, "Soitettu.")
    followed = client.get(response["Location"]).content.decode()
    assert "The contact request is marked done." in followed
    assert "Soita lupa-asiasta" not in followed
    assert "Soita lupa-asiasta" in client.get("/desk/contacts/requests/", {"status": "done"}).content.decode()
    # Done once is done: a second press says so and changes nothing.
    again = client.post(f"/desk/contacts/requests/{mine.pk}/done/", follow=True).content.decode()
    assert "already done or cancelled" in again
    assert department.status == "open"


def test_only_the_one_it_was_left_for_may_mark_it_done(world, signed_in):
    contact_request = for_expert(world)
    same_department = UserFactory(role=Role.EXPERT, department=world.catalogue.building)
    other_department = UserFactory(role=Role.EXPERT, department=world.catalogue.centre)
    assert signed_in(same_department).post(f"/desk/contacts/requests/{contact_request.pk}/done/").status_code == 403
    assert signed_in(other_department).post(f"/desk/contacts/requests/{contact_request.pk}/done/").status_code == 404
    assert signed_in(world.desk.resident).get("/desk/contacts/requests/").status_code == 403
    assert signed_in(world.desk.resident).post(f"/desk/contacts/requests/{contact_request.pk}/done/").status_code == 403
    contact_request.refresh_from_db()
    assert contact_request.status == "open"


def test_the_list_takes_a_fixed_number_of_queries_however_many_requests(world, signed_in):
    client = signed_in(world.desk.expert)
    service_request = file(world.desk.advisor, party=world.desk.customer.pk)
    for_expert(world, party=world.desk.customer, service_request=service_request)
    with CaptureQueriesContext(connection) as before:
        assert client.get("/desk/contacts/requests/").status_code == 200
    for _ in range(12):
        for_expert(world, party=world.desk.customer, service_request=service_request)
        ContactRequestFactory(team=world.catalogue.building_team, department=world.catalogue.building)
    with CaptureQueriesContext(connection) as after:
        page = client.get("/desk/contacts/requests/").content.decode()
    assert page.count(service_request.number) >= 13
    # Session, user, the page count, the rows with everything they show, one audit insert.
    assert len(after) == len(before) == 5


def test_unknown_filters_are_not_found(world, signed_in):
    client = signed_in(world.desk.expert)
    assert client.get("/desk/contacts/requests/", {"scope": "everyone"}).status_code == 404
    assert client.get("/desk/contacts/requests/", {"status": "maybe"}).status_code == 404


def test_the_desk_shows_callbacks_due_today_and_the_open_contact(world, signed_in):
    late_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59)))
    for_expert(world, about="Soita tänään", due_at=late_today)
    for_expert(world, about="Soita huomenna", due_at=in_hours(30))
    expert = signed_in(world.desk.expert)
    home = expert.get("/desk/").content.decode()
    assert 'hx-get="/desk/contacts/panel/"' in home and 'href="/desk/contacts/new/"' in home
    panel = expert.get("/desk/contacts/panel/").content.decode()
    assert "Callbacks due today" in panel
    assert '<span class="aspa-queue__count">1</span>' in panel
    assert "Soita tänään" in panel and "Soita huomenna" not in panel
    assert "2 open for you, your team or your department" in panel
    assert "Continue your open contact" not in panel

    advisor = signed_in(world.desk.advisor)
    advisor.post("/desk/contacts/new/", {"channel": "phone"})
    panel = advisor.get("/desk/contacts/panel/").content.decode()
    assert "Continue your open contact" in panel
    with CaptureQueriesContext(connection) as queries:
        advisor.get("/desk/contacts/panel/")
    # Session, user, the counts, the open contact (nothing due today: no list query).
    assert len(queries) == 4
