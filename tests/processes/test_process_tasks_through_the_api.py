"""/api/v1/processes: an integration (or a team's own tool) lists the tasks waiting for the
caller's team and completes one, with the same checks as the desk."""

from aspa.identity.operations import create_token
from aspa.processes.models import ProcessInstance
from aspa.requests.models import Status
from tests.conftest import ApiClient
from tests.processes.conftest import file_for


def _client(user) -> ApiClient:
    _token, key = create_token(role=user.role, name=f"test-{user.username}", user=user)
    return ApiClient(user, key)


def test_team_lists_and_completes_its_tasks(city):
    service_request = file_for(city.resident(), "venepaikka", "application")
    advisor = _client(city.advisor)

    listed = advisor.get("processes/tasks")
    assert listed.status_code == 200
    [check] = listed.json()
    assert check["request"] == service_request.number and check["task"] == "check"
    assert [choice["key"] for choice in check["choices"]] == ["complete", "incomplete"]

    # Someone else's task is refused; a choice outside the options too.
    assert _client(city.marina).post(f"processes/tasks/{check['id']}/complete", {"choice": "complete"}).status_code == 403
    refused = advisor.post(f"processes/tasks/{check['id']}/complete", {"choice": "maybe"})
    assert refused.status_code == 422 and "choice" in refused.json()["error"]["fields"]

    done = advisor.post(f"processes/tasks/{check['id']}/complete", {"choice": "complete"})
    assert done.status_code == 200, done.content
    assert done.json()["completed_at"] is not None

    [decide] = _client(city.marina).get("processes/tasks").json()
    assert _client(city.marina).post(f"processes/tasks/{decide['id']}/complete", {"choice": "offer"}).status_code == 200
    # Invoicing is not connected: the team invoices the rent by hand and says so; then the resident is told.
    [invoice] = _client(city.marina).get("processes/tasks").json()
    assert invoice["task"] == "invoice_by_hand"
    marked = _client(city.marina).post(f"processes/tasks/{invoice['id']}/complete", {"choice": "invoiced"})
    assert marked.status_code == 200
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert ProcessInstance.objects.get(request=service_request).status == ProcessInstance.Status.COMPLETED


def test_task_of_a_request_the_caller_cannot_see_is_not_found(city):
    file_for(city.resident(), "venepaikka", "application")
    [check] = _client(city.advisor).get("processes/tasks").json()
    # An expert of another department does not see the request at all.
    assert _client(city.parking).post(f"processes/tasks/{check['id']}/complete", {"choice": "complete"}).status_code == 404
