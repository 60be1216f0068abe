"""Automatic assignment within a team: round robin deals in turn, least loaded picks the member
with the fewest open requests, manual leaves the request to the team's queue."""

import pytest

from aspa.catalogue.models import Team
from aspa.identity.models import Role
from aspa.requests import assignment, operations
from aspa.requests.models import Status, TeamRotation
from tests.factories.identity import UserFactory
from tests.factories.requests import file, in_status


@pytest.fixture
def team(catalogue):
    return catalogue.building_team


@pytest.fixture
def members(catalogue, team):
    return [UserFactory(role=Role.EXPERT, department=catalogue.building, team=team) for _member in range(3)]


@pytest.fixture
def advisor(catalogue):
    return UserFactory(role=Role.ADVISOR, department=catalogue.centre)


def use(team, rule):
    team.assignment = rule
    team.save(update_fields=["assignment"])  # through save: the catalogue's cache hears of it
    team.refresh_from_db()


def forward_to_team(advisor, team):
    service_request = file(advisor)
    return operations.forward(advisor, service_request, version=service_request.version, to_team=team.code)


def test_round_robin_deals_to_each_member_in_turn(advisor, team, members):
    use(team, Team.Assignment.ROUND_ROBIN)
    handlers = [forward_to_team(advisor, team).assignee for _request in range(7)]
    assert handlers == [members[0], members[1], members[2], members[0], members[1], members[2], members[0]]
    assert TeamRotation.objects.get(team=team).last_assignee == members[0]


def test_round_robin_skips_members_who_left(advisor, team, members):
    use(team, Team.Assignment.ROUND_ROBIN)
    assert forward_to_team(advisor, team).assignee == members[0]
    members[1].is_active = False
    members[1].save(update_fields=["is_active"])
    assert [forward_to_team(advisor, team).assignee for _request in range(2)] == [members[2], members[0]]


def test_least_loaded_picks_the_member_with_fewest_open_requests(advisor, team, members):
    use(team, Team.Assignment.LEAST_LOADED)
    for handler, count in ((members[0], 2), (members[1], 1)):
        for _request in range(count):
            service_request = file(advisor)
            operations.assign(advisor, service_request, version=service_request.version, assignee=handler.pk)
    # A resolved request is not load.
    done = in_status(Status.RESOLVED, members[2])
    assert done.assignee is None or done.assignee == members[2]
    assert forward_to_team(advisor, team).assignee == members[2]
    # Now members 1 and 2 have one each: the tie goes to the earlier member, then it evens out.
    assert forward_to_team(advisor, team).assignee == members[1]
    assert forward_to_team(advisor, team).assignee == members[2]


def test_sequential_filings_spread_evenly(advisor, team, members):
    use(team, Team.Assignment.LEAST_LOADED)
    handlers = [forward_to_team(advisor, team).assignee for _request in range(9)]
    assert sorted(handlers.count(member) for member in members) == [3, 3, 3]


def test_manual_team_leaves_the_request_unassigned(advisor, team, members):
    use(team, Team.Assignment.MANUAL)
    forwarded = forward_to_team(advisor, team)
    assert forwarded.team == team
    assert forwarded.assignee is None
    assert "assigned_automatically" not in forwarded.events.get(kind="forward").data


def test_team_without_members_leaves_it_unassigned(advisor, team):
    use(team, Team.Assignment.ROUND_ROBIN)
    assert assignment.pick_handler(team) is None
    assert forward_to_team(advisor, team).assignee is None


def test_assigning_to_a_team_without_a_handler_applies_the_rule(advisor, team, members):
    use(team, Team.Assignment.ROUND_ROBIN)
    service_request = file(advisor)
    operations.assign(advisor, service_request, version=service_request.version, team=team.code)
    assert service_request.assignee == members[0]
    assert service_request.events.get(kind="assign").data["assigned_automatically"] is True


def test_a_refused_forward_does_not_move_the_rotation(advisor, team, members):
    use(team, Team.Assignment.ROUND_ROBIN)
    service_request = file(advisor)
    with pytest.raises(Exception):  # noqa: B017 - any refusal: here a stale version
        operations.forward(advisor, service_request, version=service_request.version - 1, to_team=team.code)
    assert not TeamRotation.objects.filter(team=team, last_assignee__isnull=False).exists()
    assert forward_to_team(advisor, team).assignee == members[0]
