"""Sending through Twilio's Messages API, replayed from recorded answers (conftest.py): the
request Twilio documents, the message marked sent with Twilio's sid; a "too many requests" or a
server error tried again later by the worker and then sent once; a final refusal (the recipient
has unsubscribed) not tried again, with Twilio's reason for the administrator."""

import base64
import datetime
import logging
import urllib.error
import uuid

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django_tasks_db.models import DBTaskResult

from aspa.customers.models import Consent
from aspa.customers.preferences import SMS_STATUS
from aspa.integrations.sms import twilio
from aspa.sms.gateway import Outgoing, TemporaryFailure
from aspa.sms.models import SmsMessage
from aspa.sms.operations import send_sms
from aspa.sms.tasks import deliver_sms
from tests.factories.customers import PersonFactory
from tests.factories.worker import runs
from tests.sms.conftest import ACCOUNT_SID, AUTH_TOKEN, SITE_URL

NOW = datetime.datetime(2026, 12, 8, 1, 40, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_message_is_sent_as_twilio_documents_it(twilio_api, django_capture_on_commit_callbacks):
    twilio_api.answer(201, "message_created.json")
    resident = PersonFactory()
    Consent.objects.create(party=resident, purpose=SMS_STATUS, granted=True)

    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("040 123 4567", "Asianne ESI-2026-000042 on ratkaistu.", party=resident, purpose=SMS_STATUS)

    [sent] = twilio_api.received
    assert sent["method"] == "POST"
    assert sent["url"] == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert sent["authorization"] == "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert sent["form"] == {
        "To": "+358401234567", "From": "Esimerkki", "Body": "Asianne ESI-2026-000042 on ratkaistu.",
        "StatusCallback": f"{SITE_URL}/api/v1/sms/twilio/status?message={message.reference}",
    }
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.provider_id == "SM00000000000000000000000000000042"
    assert (message.backend, message.attempts, message.error) == ("twilio", 1, "")


@pytest.mark.django_db
def test_a_messaging_service_picks_the_sender(twilio_api, settings, django_capture_on_commit_callbacks):
    settings.SMS_TWILIO_MESSAGING_SERVICE_SID = "MG00000000000000000000000000000007"
    twilio_api.answer(201, "message_created.json")

    with django_capture_on_commit_callbacks(execute=True):
        send_sms("040 123 4567", "Muistutus")

    form = twilio_api.received[0]["form"]
    assert form["MessagingServiceSid"] == "MG00000000000000000000000000000007"
    assert "From" not in form


@pytest.mark.django_db
def test_an_unsubscribed_recipient_is_not_tried_again(twilio_api, caplog, django_capture_on_commit_callbacks):
    twilio_api.answer(400, "unsubscribed_recipient.json")

    with caplog.at_level(logging.ERROR, logger="aspa.sms.tasks"), django_capture_on_commit_callbacks(execute=True):
        message = send_sms("040 123 4567", "Muistutus")

    assert len(twilio_api.received) == 1
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "Twilio 400 21610: Attempt to send to unsubscribed recipient"
    assert "not tried again" in caplog.text


@pytest.mark.django_db
def test_wrong_credentials_keep_the_message_for_an_administrator_to_fix(twilio_api, caplog):
    """Twilio's 401: Aspa's settings are wrong, not the message. A temporary failure, so the
    message waits in the queue while an administrator fixes them; the log names the settings."""
    twilio_api.answer(401, "authenticate.json")
    backend = twilio.TwilioBackend()

    with caplog.at_level(logging.ERROR, logger="aspa.integrations.sms.twilio"), \
            pytest.raises(TemporaryFailure, match="20003"):
        backend.send(Outgoing(to="+358401234567", text="Muistutus", reference=uuid.uuid4(), language="fi"))

    assert "ASPA_SMS_TWILIO_" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_message_waits_while_the_gateway_is_not_configured(twilio_api, worker, settings):
    settings.SMS_TWILIO_AUTH_TOKEN = ""

    with time_machine.travel(NOW, tick=False):
        message = send_sms("040 123 4567", "Muistutus")
        worker()

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.QUEUED
    assert "ASPA_SMS_TWILIO_AUTH_TOKEN" in message.error
    assert DBTaskResult.objects.get(task_path=deliver_sms.module_path, status="READY").run_after \
        == NOW + datetime.timedelta(minutes=1)

    settings.SMS_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    twilio_api.answer(201, "message_created.json")
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        worker()

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT


@pytest.mark.django_db
def test_missing_credentials_say_which_settings_are_missing(twilio_api, settings):
    settings.SMS_TWILIO_AUTH_TOKEN = ""

    with pytest.raises(ImproperlyConfigured, match="ASPA_SMS_TWILIO_AUTH_TOKEN"):
        twilio.TwilioBackend()


@pytest.mark.django_db(transaction=True)
def test_a_busy_gateway_delays_the_message_and_it_is_sent_once(twilio_api, worker, caplog):
    twilio_api.answer(429, "too_many_requests.json")
    twilio_api.answer(503, "service_unavailable.json")
    twilio_api.answer(201, "message_created.json")

    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.WARNING, logger="aspa.sms.tasks"):
        message = send_sms("040 123 4567", "Muistutus: soittoaika huomenna klo 10.")
        worker()

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.QUEUED
    assert message.error == "Twilio 429 20429: Too Many Requests"
    assert runs(deliver_sms, "FAILED") == 1
    waiting = DBTaskResult.objects.get(task_path=deliver_sms.module_path, status="READY")
    assert waiting.run_after == NOW + datetime.timedelta(minutes=1)
    assert "tried again later" in caplog.text

    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        worker()
    waiting = DBTaskResult.objects.get(task_path=deliver_sms.module_path, status="READY")
    assert waiting.run_after == NOW + datetime.timedelta(minutes=3)

    with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):
        worker()
        worker()  # nothing left to send

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.provider_id == "SM00000000000000000000000000000042"
    assert message.attempts == 3
    assert message.error == ""
    assert len(twilio_api.received) == 3
    assert runs(deliver_sms, "SUCCESSFUL") == 1


@pytest.mark.django_db
def test_an_unreachable_gateway_is_a_temporary_failure(twilio_api, monkeypatch):
    backend = twilio.TwilioBackend()

    def unreachable(*args, **kwargs):
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(backend.opener, "open", unreachable)

    with pytest.raises(TemporaryFailure, match="could not be reached"):
        backend.send(Outgoing(to="+358401234567", text="x", reference=uuid.uuid4(), language="fi"))
