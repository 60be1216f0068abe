"""Asking the customer for information stops the clock; the answer restarts it and the due date
moves on by the working days spent waiting."""

import datetime

from django.utils import timezone

from aspa.requests import operations
from aspa.requests.models import ServiceRequest, Status
from aspa.requests.workdays import add_working_days, working_days_between
from tests.factories.requests import in_status


def _waited_since(service_request, days_ago: int) -> None:
    """Pretend the question was asked `days_ago` calendar days ago."""
    asked = timezone.now() - datetime.timedelta(days=days_ago)
    ServiceRequest.objects.filter(pk=service_request.pk).update(waiting_since=asked)
    service_request.waiting_since = asked


def test_question_puts_the_request_to_wait_and_remembers_when(advisor):
    service_request = in_status(Status.IN_PROGRESS, advisor)
    due = service_request.due_date
    operations.request_information(advisor, service_request, version=service_request.version,
                                   question="Mikä on kiinteistötunnus?")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert stored.status == Status.WAITING
    assert stored.waiting_since is not None
    assert stored.due_date == due
    # The customer sees the question among the messages.
    assert stored.messages.get().body == "Mikä on kiinteistötunnus?"


def test_answer_extends_the_due_date_by_the_working_days_spent_waiting(advisor):
    service_request = in_status(Status.IN_PROGRESS, advisor)
    operations.request_information(advisor, service_request, version=service_request.version, question="?")
    _waited_since(service_request, days_ago=14)
    due = service_request.due_date
    waited = working_days_between(timezone.localdate(service_request.waiting_since), timezone.localdate())
    assert waited >= 8  # two calendar weeks hold at least eight working days

    operations.provide_information(advisor, service_request, version=service_request.version,
                                   answer="091-1-2-3")

    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert stored.status == Status.IN_PROGRESS
    assert stored.waiting_since is None
    assert stored.due_date == add_working_days(due, waited)
    event = stored.events.get(kind="provide_information")
    assert event.data["waited_working_days"] == waited
    assert event.data["due_date"] == {"from": due.isoformat(), "to": stored.due_date.isoformat()}


def test_answer_on_the_same_day_keeps_the_due_date(advisor):
    service_request = in_status(Status.WAITING, advisor)
    due = service_request.due_date
    operations.provide_information(advisor, service_request, version=service_request.version, answer="ok")
    assert ServiceRequest.objects.get(pk=service_request.pk).due_date == due


def test_customer_answers_from_the_portal(resident_api, advisor):
    client = resident_api()
    service_request = in_status(Status.WAITING, advisor, party=client.user.party_id)
    response = client.post(f"requests/{service_request.pk}/actions",
                           {"action": "provide_information", "version": service_request.version,
                            "answer": "Kiinteistötunnus on 091-1-2-3."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.IN_PROGRESS
    answer = ServiceRequest.objects.get(pk=service_request.pk).messages.get(from_customer=True)
    assert answer.visibility == "customer"


def test_waiting_request_is_not_overdue_while_the_clock_is_stopped(api, advisor):
    client = api("advisor")
    waiting = in_status(Status.WAITING, advisor)
    late = in_status(Status.IN_PROGRESS, advisor)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ServiceRequest.objects.filter(pk__in=[waiting.pk, late.pk]).update(due_date=yesterday)

    assert client.get(f"requests/{waiting.pk}").json()["overdue"] is False
    assert client.get(f"requests/{late.pk}").json()["overdue"] is True
    listed = client.get("requests", {"overdue": "true"}).json()["items"]
    assert [item["number"] for item in listed] == [late.number]
