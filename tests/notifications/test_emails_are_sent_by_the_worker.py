"""Emails are sent by the background worker after the change commits, never inside the web
request: filing a form answers the resident at once, and the receipt leaves when `aspa worker`
runs its queue. A change that rolls back queues nothing."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from aspa.eforms.models import Draft
from aspa.notifications import deliver_email, send_email
from aspa.requests.models import ServiceRequest
from tests.factories.eforms import VALID_ANSWERS
from tests.factories.worker import runs

FEEDBACK = VALID_ANSWERS["kuntalaispalaute"]


def send_feedback(client: Client):
    """Anonymous feedback with an email address for the receipt, filed through the form's pages."""
    response = client.post("/forms/kuntalaispalaute/", {**FEEDBACK, "action": "preview"})
    assert response.status_code == 302, response.content.decode()
    token = Draft.objects.filter(user__isnull=True).latest("id").token
    return client.post(f"/forms/drafts/{token}/submit/")


@pytest.mark.django_db(transaction=True)
def test_a_filed_forms_receipt_is_sent_by_the_worker_not_by_the_web_request(city, worker):
    response = send_feedback(Client())

    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert mail.outbox == []  # the web request sent nothing
    assert runs(deliver_email, "READY") == 1

    worker()
    (receipt,) = mail.outbox
    assert receipt.to == ["maija@example.fi"]
    assert service_request.number in receipt.subject
    assert (runs(deliver_email, "SUCCESSFUL"), runs(deliver_email, "READY")) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_an_email_of_a_change_that_rolls_back_is_never_queued(worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert send_email("asukas@example.fi", "Aihe", "Teksti")
        raise RuntimeError("the change fails after the email was written")

    worker()
    assert runs(deliver_email, "READY") + runs(deliver_email, "SUCCESSFUL") == 0
    assert mail.outbox == []


def test_an_email_without_an_address_is_not_queued(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert not send_email("", "Aihe", "Teksti")
        assert not send_email([], "Aihe", "Teksti")
    assert callbacks == []
