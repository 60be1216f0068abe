"""Integrations read the published events as CloudEvents from GET /api/v1/events, forward from a
position; until the route step has run, the request shows that it is being routed."""

import pytest
from django.test import Client

from aspa.identity.models import Role
from aspa.outbox.relay import drain
from tests.factories.identity import UserFactory
from tests.factories.requests import file


def test_the_feed_lists_published_events_in_order_and_reads_on_from_a_position(catalogue, api):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    first, second = file(advisor), file(advisor)
    integration = api(Role.INTEGRATION)

    page = integration.get("events", {"limit": 1}).json()
    (event,) = page["events"]
    assert event["specversion"] == "1.0" and event["type"] == "aspa.request.filed"
    assert event["subject"] == f"requests/{first.pk}" and event["aggregatesequence"] == 1
    assert event["data"]["number"] == first.number
    rest = integration.get("events", {"after": page["next_after"]}).json()
    assert [item["data"]["number"] for item in rest["events"]] == [second.number]
    by_id = integration.get("events", {"after": event["id"]}).json()
    assert by_id["events"] == rest["events"]
    assert integration.get("events", {"after": rest["next_after"]}).json() == {
        "events": [], "next_after": rest["next_after"]}


@pytest.mark.parametrize(("role", "status"), [(Role.ADVISOR, 403), (Role.EXPERT, 403), (Role.SUPERVISOR, 200)])
def test_the_feed_is_for_integrations_supervisors_and_administrators(catalogue, api, role, status):
    assert api(role).get("events").status_code == status


def test_the_feed_refuses_an_unknown_position_and_strangers(catalogue, api):
    assert api(Role.INTEGRATION).get("events", {"after": "nonsense"}).status_code == 422
    assert Client().get("/api/v1/events").status_code == 401


def test_the_feed_is_in_the_openapi_document_with_every_answer(db):
    document = Client().get("/api/v1/openapi.json").json()
    assert set(document["paths"]["/api/v1/events"]["get"]["responses"]) == {"200", "401", "403", "422"}
    assert "routing_pending" in document["components"]["schemas"]["RequestOut"]["required"]


def test_a_just_filed_request_shows_it_is_being_routed_until_the_route_step_ran(catalogue, api, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the worker's way
    advisor = api(Role.ADVISOR)
    filed = advisor.post("requests", {"type": "question", "channel": "phone", "description": "Kysymys",
                                      "service": "yleisneuvonta"})
    assert filed.status_code == 201 and filed.json()["routing_pending"] is True
    number = filed.json()["number"]
    assert advisor.get(f"requests/{number}").json()["routing_pending"] is True
    assert advisor.get("requests").json()["items"][0]["routing_pending"] is True
    desk = Client(HTTP_ACCEPT_LANGUAGE="en")
    desk.force_login(advisor.user)
    assert "Being routed" in desk.get(f"/desk/requests/{number}/").content.decode()

    drain()

    assert advisor.get(f"requests/{number}").json()["routing_pending"] is False
    assert advisor.get("requests").json()["items"][0]["routing_pending"] is False
    assert "Being routed" not in desk.get(f"/desk/requests/{number}/").content.decode()
