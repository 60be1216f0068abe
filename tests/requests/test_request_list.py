"""The request list agents open all day: filters, sorting, paging, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspa.requests import operations
from aspa.requests.models import ServiceRequest, Status
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, file, in_status


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def test_newest_first_by_default_and_sortable(api, catalogue):
    client = api("advisor")
    requests = [file(client.user) for _ in range(3)]
    ServiceRequest.objects.filter(pk=requests[0].pk).update(due_date=datetime.date(2030, 1, 1))
    numbers = [r.number for r in requests]
    assert _numbers(client.get("requests")) == numbers[::-1]
    assert _numbers(client.get("requests", {"sort": "number"})) == numbers
    assert _numbers(client.get("requests", {"sort": "-due_date"}))[0] == numbers[0]


def test_unknown_sort_field_is_refused(api, catalogue):
    response = api("advisor").get("requests", {"sort": "description"})
    assert response.status_code == 422
    assert "sort" in response.json()["error"]["fields"]


def test_filters(api, catalogue):
    client = api("advisor")
    party = PersonFactory()
    advice = file(client.user, party=party.pk)
    permit = file(client.user, type="application", service="rakennuslupa", channel="web")
    operations.take(client.user, permit, version=1)
    waiting = in_status(Status.WAITING, client.user, contact_email="x@example.fi")
    operations.assign(client.user, waiting, version=waiting.version, team="luvat")

    assert _numbers(client.get("requests", {"status": "in_progress"})) == [permit.number]
    assert set(_numbers(client.get("requests", {"status": ["received", "waiting"]}))) == {advice.number,
                                                                                          waiting.number}
    assert set(_numbers(client.get("requests", {"status": "received,in_progress"}))) == {advice.number,
                                                                                         permit.number}
    assert _numbers(client.get("requests", {"service": "rakennuslupa"})) == [permit.number]
    assert _numbers(client.get("requests", {"department": "rakennusvalvonta"})) == [permit.number]
    assert _numbers(client.get("requests", {"channel": "web"})) == [permit.number]
    assert _numbers(client.get("requests", {"party": party.pk})) == [advice.number]
    assert _numbers(client.get("requests", {"type": "application"})) == [permit.number]
    assert _numbers(client.get("requests", {"assignee": "me"})) == [permit.number]
    assert _numbers(client.get("requests", {"assignee": str(client.user.pk)})) == [permit.number]
    assert _numbers(client.get("requests", {"team": "luvat"})) == [waiting.number]
    assert _numbers(client.get("requests", {"q": permit.number[-3:]})) == [permit.number]


def test_date_filters(api, catalogue):
    client = api("advisor")
    old = file(client.user)
    new = file(client.user)
    last_week = timezone.now() - datetime.timedelta(days=7)
    ServiceRequest.objects.filter(pk=old.pk).update(created_at=last_week, due_date=timezone.localdate())
    today = timezone.localdate()
    week_ago = timezone.localtime(last_week).date()

    assert _numbers(client.get("requests", {"created_from": today.isoformat()})) == [new.number]
    assert _numbers(client.get("requests", {"created_to": week_ago.isoformat()})) == [old.number]
    assert _numbers(client.get("requests", {"due_before": (today + datetime.timedelta(days=1)).isoformat()})) == [
        old.number]


def test_paging(api, catalogue):
    client = api("advisor")
    numbers = [file(client.user).number for _ in range(5)]
    page = client.get("requests", {"page": 2, "page_size": 2, "sort": "number"}).json()
    assert (page["count"], page["page"], page["page_size"]) == (5, 2, 2)
    assert [item["number"] for item in page["items"]] == numbers[2:4]


@pytest.mark.parametrize("role", ["advisor", "expert"])
def test_list_takes_the_same_number_of_queries_for_3_or_12_requests(api, catalogue, role):
    client = api(role, department=catalogue.centre)
    # The centre files them (an expert files only for customers already theirs).
    advisor = UserFactory(role="advisor")

    def fill(count: int) -> int:
        for _ in range(count):
            service_request = file(advisor, party=PersonFactory().pk, co_parties=[PersonFactory().pk])
            operations.assign(client.user, service_request, version=1, assignee=client.user.pk, team="luvat")
        client.get("requests")  # warm up the token's last-used stamp
        with CaptureQueriesContext(connection) as queries:
            response = client.get("requests")
        assert response.status_code == 200
        return len(queries)

    few = fill(3)
    ServiceRequest.objects.all().delete()
    many = fill(12)
    assert few == many
    # Token, count, rows, other filers, audit rows.
    assert many <= 6


def test_unknown_status_filter_is_refused(api, catalogue):
    response = api("advisor").get("requests", {"status": "received,lost"})
    assert response.status_code == 422
    assert "lost" in response.json()["error"]["fields"]["status"][0]
