"""While the mail server refuses mail, the resident's form is still filed and the receipt waits in
the worker's queue, tried again later and later; once the server takes mail again it is delivered,
once. Only after about three days of refusals is an email given up, and the log says so.

The peer is a real SMTP server on a local socket (conftest.py) that answers 451 ("try again
later") while it refuses."""

import datetime
import logging

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from aspa.notifications import MAX_ATTEMPTS, deliver_email, retry_wait
from aspa.requests.models import ServiceRequest
from tests.factories.worker import runs
from tests.notifications.test_emails_are_sent_by_the_worker import send_feedback

FILED_AT = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=datetime.UTC)


def waiting() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=deliver_email.module_path, status="READY")


@pytest.mark.django_db(transaction=True)
def test_a_receipt_waits_while_the_mail_server_refuses_and_is_delivered_when_it_takes_mail(
        city, worker, mail_server, caplog):
    mail_server.refusing = True
    with time_machine.travel(FILED_AT, tick=False), caplog.at_level(logging.WARNING, logger="aspa.notifications"):
        response = send_feedback(Client())
        worker()

    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()  # filed all the same
    assert mail_server.received == []
    assert runs(deliver_email, "FAILED") == 1
    assert waiting().run_after == FILED_AT + datetime.timedelta(minutes=1)
    assert "tried again later" in caplog.text and "451" in caplog.text

    # Still refused a minute later: the next try waits longer.
    with time_machine.travel(FILED_AT + datetime.timedelta(minutes=1), tick=False):
        worker()
    assert mail_server.received == []
    assert runs(deliver_email, "FAILED") == 2
    assert waiting().run_after == FILED_AT + datetime.timedelta(minutes=3)

    # Nothing is tried before its time.
    mail_server.refusing = False
    with time_machine.travel(FILED_AT + datetime.timedelta(minutes=2), tick=False):
        worker()
    assert mail_server.received == []

    with time_machine.travel(FILED_AT + datetime.timedelta(minutes=3), tick=False):
        worker()
    ((recipients, receipt),) = mail_server.received
    assert recipients == ["maija@example.fi"]
    assert service_request.number in receipt["Subject"]
    assert (runs(deliver_email, "SUCCESSFUL"), runs(deliver_email, "READY")) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_an_email_refused_for_three_days_is_given_up_and_logged(worker, mail_server, caplog):
    mail_server.refusing = True
    with caplog.at_level(logging.ERROR, logger="aspa.notifications"):
        deliver_email.enqueue(["asukas@example.fi"], "Aihe", "Teksti", attempt=MAX_ATTEMPTS)
        worker()

    assert runs(deliver_email, "FAILED") == 1
    assert runs(deliver_email, "READY") == 0
    assert f"not sent after {MAX_ATTEMPTS} tries, given up" in caplog.text


def test_the_tries_wait_longer_up_to_an_hour():
    waits = [retry_wait(attempt) for attempt in range(1, MAX_ATTEMPTS)]
    assert waits[:4] == [datetime.timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert max(waits) == datetime.timedelta(hours=1)
    # About three days of tries in all before an email is given up.
    assert datetime.timedelta(days=2, hours=18) < sum(waits, datetime.timedelta()) < datetime.timedelta(days=3, hours=6)
