"""Every action in every status: allowed ones move the request and leave history; the others
are refused with 409 naming the status and the action, and change nothing."""

import pytest

from aspa.errors import Conflict
from aspa.requests import operations
from aspa.requests.models import RequestEvent, ServiceRequest, Status
from aspa.requests.operations import ALLOWED_ACTIONS, Action
from tests.factories.requests import in_status

A = Action
OPEN = {A.CLASSIFY, A.ASSIGN, A.EDIT}
# The life cycle as the spec describes it, written independently of the code's table.
SPEC = {
    Status.RECEIVED: OPEN | {A.TAKE, A.REQUEST_INFORMATION, A.FORWARD, A.REDIRECT, A.RESOLVE},
    Status.IN_PROGRESS: OPEN | {A.REQUEST_INFORMATION, A.FORWARD, A.REDIRECT, A.RESOLVE},
    Status.WAITING: OPEN | {A.PROVIDE_INFORMATION},
    Status.FORWARDED: OPEN | {A.TAKE, A.REQUEST_INFORMATION, A.FORWARD, A.REDIRECT, A.RESOLVE},
    Status.REDIRECTED: {A.REOPEN, A.CLOSE},
    Status.RESOLVED: {A.REOPEN, A.CLOSE},
    Status.CLOSED: {A.REOPEN},
}

OPERATION = {
    A.CLASSIFY: (operations.classify, {"service": "rakennuslupa"}),
    A.TAKE: (operations.take, {}),
    A.ASSIGN: (operations.assign, {"team": "luvat"}),
    A.REQUEST_INFORMATION: (operations.request_information, {"question": "Mikä on kiinteistötunnus?"}),
    A.PROVIDE_INFORMATION: (operations.provide_information, {"answer": "091-1-2-3"}),
    A.FORWARD: (operations.forward, {"to_organisation": "kela"}),
    A.REDIRECT: (operations.redirect, {"guidance": "Kela hoitaa tämän."}),
    A.RESOLVE: (operations.resolve, {"resolution": "Vastattu."}),
    A.REOPEN: (operations.reopen, {"reason": "Asiakas soitti uudelleen."}),
    A.CLOSE: (operations.close, {}),
    A.EDIT: (operations.update_details, {"description": "Tarkennettu kuvaus."}),
}

# Where each action leads; None keeps the status.
LEADS_TO = {
    A.CLASSIFY: None, A.ASSIGN: None, A.EDIT: None,
    A.TAKE: Status.IN_PROGRESS,
    A.REQUEST_INFORMATION: Status.WAITING,
    A.PROVIDE_INFORMATION: Status.IN_PROGRESS,  # back to where it was; the fixture waited from "received"
    A.FORWARD: Status.FORWARDED,
    A.REDIRECT: Status.REDIRECTED,
    A.RESOLVE: Status.RESOLVED,
    A.REOPEN: Status.IN_PROGRESS,
    A.CLOSE: Status.CLOSED,
}

ALLOWED = [(status, action) for status in Status for action in Action if action in SPEC[status]]
REFUSED = [(status, action) for status in Status for action in Action if action not in SPEC[status]]


def test_the_transition_table_is_the_spec():
    assert {status: set(actions) for status, actions in ALLOWED_ACTIONS.items()} == SPEC


@pytest.mark.parametrize("status,action", ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_action_moves_the_request_and_writes_history(advisor, status, action):
    service_request = in_status(status, advisor)
    version = service_request.version
    operation, fields = OPERATION[action]

    operation(advisor, service_request, version=version, **fields)

    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert stored.status == (LEADS_TO[action] or status)
    assert stored.version == version + 1
    event = RequestEvent.objects.filter(request=stored, kind=action.value).latest("id")
    assert (event.from_status, event.to_status) == (status, stored.status)
    assert event.actor == advisor


@pytest.mark.parametrize("status,action", REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_action_gets_409_and_changes_nothing(advisor, status, action):
    service_request = in_status(status, advisor)
    before = ServiceRequest.objects.values().get(pk=service_request.pk)
    events_before = RequestEvent.objects.filter(request=service_request).count()
    operation, fields = OPERATION[action]

    with pytest.raises(Conflict) as refused:
        operation(advisor, service_request, version=service_request.version, **fields)

    assert refused.value.status_code == 409
    assert refused.value.code == "illegal_transition"
    message = str(refused.value.message)
    assert action.value in message
    assert str(Status(status).label) in message
    assert ServiceRequest.objects.values().get(pk=service_request.pk) == before
    assert RequestEvent.objects.filter(request=service_request).count() == events_before


def test_refusal_over_the_api_names_status_and_action(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.CLOSED, client.user)
    response = client.post(f"requests/{service_request.number}/actions",
                           {"action": "resolve", "version": service_request.version, "resolution": "x"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert "resolve" in error["message"] and "closed" in error["message"]


def test_resume_returns_a_forwarded_request_to_forwarded(advisor):
    service_request = in_status(Status.FORWARDED, advisor)
    operations.request_information(advisor, service_request, version=service_request.version, question="?")
    operations.provide_information(advisor, service_request, version=service_request.version, answer="!")
    assert ServiceRequest.objects.get(pk=service_request.pk).status == Status.FORWARDED


def test_reopening_clears_the_resolution_but_history_keeps_it(advisor):
    service_request = in_status(Status.RESOLVED, advisor)
    operations.reopen(advisor, service_request, version=service_request.version, reason="Ei toiminut.")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.status, stored.resolution, stored.resolved_at) == (Status.IN_PROGRESS, "", None)
    assert stored.events.get(kind="resolve").data["resolution"] == "Neuvottu puhelimessa."
    assert stored.events.get(kind="reopen").data["reason"] == "Ei toiminut."
