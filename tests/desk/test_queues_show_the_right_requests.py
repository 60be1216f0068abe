"""Each queue on the desk holds the requests its name promises, for each role."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspa.audit.models import AuditEntry
from aspa.identity.models import Role
from tests.factories.identity import UserFactory
from tests.factories.requests import file


def numbers_on(page: str) -> set[str]:
    return set(re.findall(r"ESI-\d{4}-\d{6}", page))


def test_advisor_sees_the_count_of_every_queue_on_the_desk(world, signed_in):
    page = signed_in(world.advisor).get("/desk/").content.decode()
    counts = dict(re.findall(r'id="queue-(\w+)".*?aspa-queue__count">(\d+)<', page, re.S))
    assert counts == {"mine": "1", "team": "1", "unassigned": "3", "overdue": "1", "waiting": "1"}
    assert world.closed.number not in page


@pytest.mark.parametrize("view,expected", [
    ("mine", {"mine"}),
    ("team", {"team"}),
    ("unassigned", {"unassigned", "building", "waiting"}),
    ("overdue", {"overdue"}),
    ("waiting", {"waiting"}),
])
def test_advisor_lists_hold_the_right_requests(world, signed_in, view, expected):
    response = signed_in(world.advisor).get("/desk/requests/", {"view": view})
    assert response.status_code == 200
    assert numbers_on(response.content.decode()) == {getattr(world, name).number for name in expected}


def test_expert_sees_only_unassigned_requests_of_their_department(world, signed_in):
    client = signed_in(world.expert)
    page = client.get("/desk/requests/", {"view": "unassigned"}).content.decode()
    assert numbers_on(page) == {world.building.number}
    desk = client.get("/desk/").content.decode()
    counts = dict(re.findall(r'id="queue-(\w+)".*?aspa-queue__count">(\d+)<', desk, re.S))
    assert counts == {"mine": "0", "team": "0", "unassigned": "1", "overdue": "0", "waiting": "0"}


def test_staff_member_without_a_team_has_an_empty_team_queue(world, signed_in):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    page = signed_in(supervisor).get("/desk/requests/", {"view": "team"}).content.decode()
    assert numbers_on(page) == set()
    assert "No requests here." in page


def test_unknown_list_is_not_found(world, signed_in):
    assert signed_in(world.advisor).get("/desk/requests/", {"view": "everything"}).status_code == 404


def test_list_can_be_narrowed_by_status_and_service(world, signed_in):
    client = signed_in(world.advisor)
    by_status = client.get("/desk/requests/", {"view": "unassigned", "status": "waiting"}).content.decode()
    assert numbers_on(by_status) == {world.waiting.number}
    by_service = client.get("/desk/requests/", {"view": "unassigned", "service": "rakennuslupa"}).content.decode()
    assert numbers_on(by_service) == {world.building.number}


def test_unknown_filter_value_is_shown_as_an_error_and_ignored(world, signed_in):
    page = signed_in(world.advisor).get("/desk/requests/", {"view": "unassigned", "status": "lost"}).content.decode()
    assert "Select a valid choice" in page
    assert len(numbers_on(page)) == 3


def test_list_sorts_by_due_date_both_ways(world, signed_in):
    client = signed_in(world.advisor)
    world_due = sorted([world.unassigned, world.building, world.waiting], key=lambda item: (item.due_date, item.pk))
    earliest = client.get("/desk/requests/", {"view": "unassigned"}).content.decode()
    latest = client.get("/desk/requests/", {"view": "unassigned", "sort": "-due_date"}).content.decode()
    order = lambda page: re.findall(r'<th scope="row"><a[^>]*>(ESI-\d{4}-\d{6})</a>', page)  # noqa: E731
    assert order(earliest) == [item.number for item in world_due]
    assert order(latest) == [item.number for item in reversed(world_due)]
    assert 'aria-sort="descending"' in latest


def test_long_list_is_paginated(world, signed_in):
    for _ in range(26):
        file(world.advisor, description="Kysymys")
    client = signed_in(world.advisor)
    first = client.get("/desk/requests/", {"view": "unassigned"}).content.decode()
    second = client.get("/desk/requests/", {"view": "unassigned", "page": 2}).content.decode()
    assert len(numbers_on(first)) == 25
    assert len(numbers_on(second)) == 29 - 25
    assert "Page 2 of 2" in second


def test_desk_and_list_take_a_fixed_number_of_queries_however_many_requests(world, signed_in):
    client = signed_in(world.advisor)
    client.get("/desk/requests/")  # the first page after the catalogue was made reads its lists into memory
    with CaptureQueriesContext(connection) as desk_before:
        client.get("/desk/")
    with CaptureQueriesContext(connection) as list_before:
        client.get("/desk/requests/", {"view": "unassigned"})
    for _ in range(10):
        file(world.advisor, party=world.customer.pk)
    with CaptureQueriesContext(connection) as desk_after:
        client.get("/desk/")
    with CaptureQueriesContext(connection) as list_after:
        client.get("/desk/requests/", {"view": "unassigned"})
    # Session, user, one count for all queues and one short list per non-empty queue.
    assert len(desk_after) == len(desk_before) == 2 + 1 + 5
    # Session, user, the catalogue's version (the filter form's services come from memory), the page
    # count, the rows, one audit insert.
    assert len(list_after) == len(list_before) == 6


def test_reading_a_list_of_persons_requests_is_audited(world, signed_in):
    signed_in(world.advisor).get("/desk/requests/", {"view": "unassigned"})
    entries = AuditEntry.objects.filter(actor=world.advisor, object_type="service_request")
    # Of the three unassigned requests only the waiting one is about a person.
    assert [(entry.object_id, entry.party_id) for entry in entries] == [(str(world.waiting.pk), world.customer.pk)]
