"""The supervisor's view: workload per team, department and handler, and bulk reassignment
in one operation with one history event per request. Supervisors and administrators only."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspa.catalogue.models import Team
from aspa.requests import operations
from aspa.requests.models import RequestEvent, ServiceRequest
from tests.factories.identity import UserFactory
from tests.factories.requests import file


@pytest.fixture
def supervisor(world):
    return UserFactory(username="esimies", first_name="Essi", last_name="Esimies", role="supervisor",
                       department=world.advisor.department)


def row_of(page: str, table_id: str, name: str) -> list[str]:
    table = page[page.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    row = re.search(rf"<th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", table, re.S)
    assert row, f"no row {name} in {table_id}"
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_counts_per_team_department_and_handler(world, signed_in, supervisor):
    ServiceRequest.objects.filter(pk=world.unassigned.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=6))
    response = signed_in(supervisor).get("/desk/supervisor/")
    assert response.status_code == 200
    page = response.content.decode()
    # The advice team: world.team (open, assigned to the colleague).
    assert row_of(page, "workload-teams", "Advice")[:3] == ["1", "0", "0"]
    # The centre: mine, team, unassigned, overdue and waiting are open.
    centre = row_of(page, "workload-departments", "Asiakaspalvelukeskus (en)")
    # Open; unassigned (world.unassigned and world.waiting); overdue (world.overdue).
    assert centre[:3] == ["5", "2", "1"]
    assert centre[3] == "6 days"  # the oldest waiting: world.unassigned, filed six days ago
    building = row_of(page, "workload-departments", "Rakennusvalvonta (en)")
    assert building[:3] == ["1", "1", "0"]
    # Who handles what: the colleague has the team's request and the overdue one.
    assert row_of(page, "workload-handlers", "Kalle Kollega")[:2] == ["2", "1"]
    assert row_of(page, "workload-handlers", "Nea Neuvoja")[:2] == ["1", "0"]


@pytest.mark.parametrize("role", ["advisor", "expert"])
def test_only_supervisors_and_admins_get_in(world, signed_in, role):
    user = world.advisor if role == "advisor" else world.expert
    client = signed_in(user)
    assert client.get("/desk/supervisor/").status_code == 403
    response = client.post("/desk/supervisor/reassign/", {"requests": [world.mine.pk],
                                                          f"version_{world.mine.pk}": world.mine.version,
                                                          "assignee": world.colleague.pk})
    assert response.status_code == 403
    world.mine.refresh_from_db()
    assert world.mine.assignee == world.advisor


def test_admin_gets_in(world, signed_in):
    assert signed_in(UserFactory(role="admin")).get("/desk/supervisor/").status_code == 200


def test_bulk_reassign_writes_one_event_per_request(world, signed_in, supervisor):
    chosen = [world.mine, world.unassigned, world.overdue]
    data = {"requests": [item.pk for item in chosen], "assignee": str(world.colleague.pk), "team": ""}
    data.update({f"version_{item.pk}": item.version for item in chosen})
    response = signed_in(supervisor).post("/desk/supervisor/reassign/", data)
    assert response.status_code == 302
    assert response["Location"] == "/desk/supervisor/?done=3"
    for item in chosen:
        item.refresh_from_db()
        assert item.assignee == world.colleague
        event = RequestEvent.objects.filter(request=item, kind="assign").latest("id")
        assert event.actor == supervisor
    assert RequestEvent.objects.filter(actor=supervisor).count() == 3
    page = signed_in(supervisor).get(response["Location"]).content.decode()
    assert "3 requests reassigned." in page


def test_bulk_reassign_to_a_team_uses_the_teams_rule(world, signed_in, supervisor, catalogue):
    team = catalogue.building_team
    team.assignment = Team.Assignment.ROUND_ROBIN
    team.save(update_fields=["assignment"])  # through save: the catalogue's cache hears of it
    second = UserFactory(role="expert", department=catalogue.building, team=team)
    chosen = [world.unassigned, world.building]
    data = {"requests": [item.pk for item in chosen], "team": team.code}
    data.update({f"version_{item.pk}": item.version for item in chosen})
    assert signed_in(supervisor).post("/desk/supervisor/reassign/", data).status_code == 302
    handlers = set()
    for item in chosen:
        item.refresh_from_db()
        assert item.team == team
        handlers.add(item.assignee)
    assert handlers == {world.expert, second}


def test_bulk_reassign_with_one_changed_request_changes_none(world, signed_in, supervisor):
    chosen = [world.mine, world.unassigned]
    data = {"requests": [item.pk for item in chosen], "assignee": str(world.colleague.pk)}
    data.update({f"version_{item.pk}": item.version for item in chosen})
    operations.take(world.advisor, world.unassigned, version=world.unassigned.version)
    before = RequestEvent.objects.count()
    response = signed_in(supervisor).post("/desk/supervisor/reassign/", data)
    assert response.status_code == 409
    assert "none was reassigned" in response.content.decode()
    assert RequestEvent.objects.count() == before
    world.mine.refresh_from_db()
    assert world.mine.assignee == world.advisor


def test_bulk_reassign_needs_requests_and_one_target(world, signed_in, supervisor):
    client = signed_in(supervisor)
    page = client.post("/desk/supervisor/reassign/", {"assignee": str(world.colleague.pk)}).content.decode()
    assert "Choose at least one request." in page
    data = {"requests": [world.mine.pk], f"version_{world.mine.pk}": world.mine.version,
            "assignee": str(world.colleague.pk), "team": "neuvonta"}
    response = client.post("/desk/supervisor/reassign/", data)
    assert response.status_code == 422
    assert "Choose either a handler or a team." in response.content.decode()


def test_closed_request_cannot_be_reassigned_in_bulk(world, signed_in, supervisor):
    data = {"requests": [world.closed.pk, world.mine.pk], f"version_{world.closed.pk}": world.closed.version,
            f"version_{world.mine.pk}": world.mine.version, "assignee": str(world.colleague.pk)}
    response = signed_in(supervisor).post("/desk/supervisor/reassign/", data)
    assert response.status_code == 409
    world.mine.refresh_from_db()
    assert world.mine.assignee == world.advisor


def test_list_filters_by_team_and_unassigned(world, signed_in, supervisor):
    client = signed_in(supervisor)
    page = client.get("/desk/supervisor/", {"team": "neuvonta"}).content.decode()
    assert f'value="{world.team.pk}"' in page
    assert f'id="pick-{world.mine.pk}"' not in page
    page = client.get("/desk/supervisor/", {"unassigned": "on"}).content.decode()
    assert f'id="pick-{world.unassigned.pk}"' in page
    assert f'id="pick-{world.mine.pk}"' not in page


def test_supervisor_view_query_count_does_not_grow_with_requests(world, signed_in, supervisor):
    client = signed_in(supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/supervisor/")
    for _extra in range(5):
        file(world.advisor, party=world.customer.pk)
    with CaptureQueriesContext(connection) as many:
        client.get("/desk/supervisor/")
    assert len(many) <= len(few) + 1  # the audit rows of the customer's requests at most
