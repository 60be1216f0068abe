"""Forwarding gives the request an owner and a due date; the centre keeps following it."""

import datetime

import pytest
from django.utils import timezone

from aspa.identity.models import Role
from aspa.requests.models import ServiceRequest, Status
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, in_status, with_email


def _forward(client, service_request, **fields):
    return client.post(f"requests/{service_request.pk}/actions",
                       {"action": "forward", "version": service_request.version, **fields})


def test_forwarding_to_a_team_sets_owner_due_date_and_follower(api, catalogue):
    client = api("advisor", department=catalogue.centre)
    service_request = in_status(Status.IN_PROGRESS, client.user)
    due = timezone.localdate() + datetime.timedelta(days=30)

    response = _forward(client, service_request, to_team="luvat", note="Lupa-asia", due_date=due.isoformat())

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "forwarded"
    assert (body["team"], body["department"], body["assignee"]) == ("luvat", "rakennusvalvonta", None)
    assert body["due_date"] == due.isoformat()
    assert body["followed_by"] == "aspa"
    assert body["forwarded"] is True
    event = ServiceRequest.objects.get(pk=service_request.pk).events.get(kind="forward")
    assert event.data["note"] == "Lupa-asia"
    assert event.data["to_team"] == "luvat"


def test_forwarding_to_an_expert_makes_them_the_handler(api, catalogue):
    client = api("advisor", department=catalogue.centre)
    expert = UserFactory(role=Role.EXPERT, department=catalogue.building, team=catalogue.building_team)
    service_request = in_status(Status.RECEIVED, client.user)
    due = service_request.due_date

    body = _forward(client, service_request, to_user=expert.pk).json()

    assert (body["assignee"], body["team"], body["department"]) == (expert.pk, "luvat", "rakennusvalvonta")
    # Without a new due date the customer's promised date stays.
    assert body["due_date"] == due.isoformat()


def test_forwarding_to_another_organisation_records_it(api, catalogue):
    client = api("advisor", department=catalogue.centre)
    service_request = in_status(Status.RECEIVED, client.user)
    body = _forward(client, service_request, to_organisation="kela").json()
    assert (body["status"], body["forwarded_to"], body["department"]) == ("forwarded", "kela", "aspa")


@pytest.mark.parametrize("targets", [{}, {"to_team": "luvat", "to_organisation": "kela"}])
def test_forwarding_needs_exactly_one_target(api, catalogue, targets):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = _forward(client, service_request, **targets)
    assert response.status_code == 422
    assert "to" in response.json()["error"]["fields"]
    assert ServiceRequest.objects.get(pk=service_request.pk).status == Status.RECEIVED


def test_due_date_in_the_past_is_refused(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = _forward(client, service_request, to_team="luvat", due_date=yesterday.isoformat())
    assert response.status_code == 422
    assert "due_date" in response.json()["error"]["fields"]


def test_centre_and_the_new_owner_both_see_the_forwarded_request(api, catalogue):
    centre_expert = api("expert", department=catalogue.centre)
    building_expert = api("expert", department=catalogue.building)
    service_request = in_status(Status.RECEIVED, centre_expert.user)
    assert building_expert.get(f"requests/{service_request.pk}").status_code == 404

    _forward(centre_expert, service_request, to_department="rakennusvalvonta")

    assert building_expert.get(f"requests/{service_request.pk}").status_code == 200
    # The centre's expert still follows it: it stays in their list.
    listed = centre_expert.get("requests").json()["items"]
    assert [item["number"] for item in listed] == [service_request.number]


def test_expert_taking_a_forwarded_request_keeps_it_followed(api, catalogue):
    advisor = api("advisor", department=catalogue.centre)
    expert = api("expert", department=catalogue.building)
    service_request = in_status(Status.RECEIVED, advisor.user)
    version = _forward(advisor, service_request, to_department="rakennusvalvonta").json()["version"]

    body = expert.post(f"requests/{service_request.pk}/actions", {"action": "take", "version": version}).json()

    assert (body["status"], body["assignee"]) == ("in_progress", expert.user.pk)
    assert body["forwarded"] is True
    assert body["followed_by"] == "aspa"
    assert ServiceRequest.objects.get(pk=service_request.pk).created_by == advisor.user


def test_customer_is_told_where_the_request_went(api, catalogue, mailoutbox, django_capture_on_commit_callbacks):
    client = api("advisor")
    party = with_email(PersonFactory(language="sv"), "asiakas@example.fi")
    service_request = in_status(Status.RECEIVED, client.user, party=party.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _forward(client, service_request, to_department="rakennusvalvonta")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["asiakas@example.fi"]
    # Named in the customer's language (Swedish).
    assert "Rakennusvalvonta (sv)" in mailoutbox[0].body
    assert service_request.number in mailoutbox[0].subject
