"""Classifying sets service, department and product (with a new due date); assigning gives it a handler."""

from django.utils import timezone

from aspa.identity.models import Role
from aspa.requests.models import ServiceRequest, Status
from aspa.requests.workdays import add_working_days
from tests.factories.identity import UserFactory
from tests.factories.requests import in_status


def _act(client, service_request, action, **fields):
    return client.post(f"requests/{service_request.pk}/actions",
                       {"action": action, "version": service_request.version, **fields})


def test_classifying_to_another_service_moves_department_and_recomputes_the_due_date(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)  # general advice, 5 days
    response = _act(client, service_request, "classify", service="rakennuslupa", product="poikkeamislupa")
    body = response.json()
    assert response.status_code == 200, body
    assert (body["service"], body["department"], body["product"]) == ("rakennuslupa", "rakennusvalvonta",
                                                                      "poikkeamislupa")
    filed_on = timezone.localdate(ServiceRequest.objects.get(pk=service_request.pk).created_at)
    assert body["due_date"] == add_working_days(filed_on, 20).isoformat()
    event = ServiceRequest.objects.get(pk=service_request.pk).events.get(kind="classify")
    assert event.data["service"] == {"from": "yleisneuvonta", "to": "rakennuslupa"}


def test_classifying_to_a_service_that_does_not_take_the_type_is_refused(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user, type="application", service="rakennuslupa")
    response = _act(client, service_request, "classify", service="yleisneuvonta")
    assert response.status_code == 422
    assert "type" in response.json()["error"]["fields"]
    assert ServiceRequest.objects.get(pk=service_request.pk).service.code == "rakennuslupa"


def test_classify_needs_something_to_set(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    assert _act(client, service_request, "classify").status_code == 422


def test_take_makes_the_caller_the_handler(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    body = _act(client, service_request, "take").json()
    assert (body["status"], body["assignee"], body["assignee_name"]) == ("in_progress", client.user.pk,
                                                                         client.user.get_full_name())


def test_assign_to_an_expert_and_a_team(api, catalogue):
    client = api("supervisor")
    expert = UserFactory(role=Role.EXPERT, department=catalogue.building)
    service_request = in_status(Status.IN_PROGRESS, client.user)
    body = _act(client, service_request, "assign", assignee=expert.pk, team="luvat").json()
    assert (body["status"], body["assignee"], body["team"]) == ("in_progress", expert.pk, "luvat")


def test_cannot_assign_to_a_resident(api, catalogue):
    client = api("advisor")
    resident = UserFactory(role=Role.RESIDENT)
    service_request = in_status(Status.IN_PROGRESS, client.user)
    response = _act(client, service_request, "assign", assignee=resident.pk)
    assert response.status_code == 422
    assert "assignee" in response.json()["error"]["fields"]


def test_unknown_action_is_refused(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = _act(client, service_request, "delete")
    assert response.status_code == 422
    assert "action" in response.json()["error"]["fields"]
