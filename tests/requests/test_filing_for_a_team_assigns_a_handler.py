"""A request filed for a team lands in the team's department, and the team's own rule picks its
handler right away: round robin deals in turn, manual leaves it in the team's queue."""

import pytest

from aspa.catalogue.models import Team
from aspa.errors import InvalidInput
from aspa.identity.models import Role
from aspa.requests.models import Status
from tests.factories.identity import UserFactory
from tests.factories.requests import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(catalogue):
    return catalogue.building_team


@pytest.fixture
def members(catalogue, team):
    return [UserFactory(role=Role.EXPERT, department=catalogue.building, team=team) for _member in range(2)]


@pytest.fixture
def advisor(catalogue):
    return UserFactory(role=Role.ADVISOR, department=catalogue.centre)


def use(team, rule):
    team.assignment = rule
    team.save(update_fields=["assignment"])  # through save: the catalogue's cache hears of it


def test_round_robin_team_gets_its_filed_requests_dealt_in_turn(advisor, team, members, catalogue):
    use(team, Team.Assignment.ROUND_ROBIN)
    filed = [file(advisor, team=team.code) for _request in range(3)]
    assert [service_request.assignee for service_request in filed] == [members[0], members[1], members[0]]
    first = filed[0]
    assert (first.team, first.department, first.status) == (team, catalogue.building, Status.RECEIVED)
    event = first.events.get(kind="filed")
    assert event.data["team"] == team.code
    assert (event.data["assignee"], event.data["assigned_automatically"]) == (members[0].pk, True)


def test_manual_team_leaves_the_filed_request_unassigned_in_its_queue(advisor, team, members):
    use(team, Team.Assignment.MANUAL)
    service_request = file(advisor, team=team.code)
    assert (service_request.team, service_request.assignee) == (team, None)
    assert "assignee" not in service_request.events.get(kind="filed").data


def test_filing_for_an_unknown_team_is_refused(advisor):
    with pytest.raises(InvalidInput) as refused:
        file(advisor, team="no-such-team")
    assert "team" in refused.value.fields
