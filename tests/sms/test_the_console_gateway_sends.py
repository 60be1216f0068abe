"""With the console gateway (the demo's), a queued message is "sent" by the worker once the
caller's change commits: it is written to the log, kept in the console's outbox and marked sent.
A change that rolls back sends nothing."""

import logging

import pytest
from django.db import transaction

from aspa.customers.models import Consent
from aspa.customers.preferences import SMS_MESSAGES
from aspa.sms.models import SmsMessage
from aspa.sms.operations import send_sms
from tests.factories.customers import PersonFactory


@pytest.mark.django_db
def test_a_message_is_sent_after_the_change_commits(console, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="aspa.integrations.sms.console"), \
            django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = send_sms("040 123 4567", "Vi ringer dig i morgon kl. 10.", language="sv")
        assert console == []  # not before the commit

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    assert message.backend == "console"
    assert message.attempts == 1
    assert message.provider_id == f"console-{message.reference.hex}"
    assert message.sent_at is not None
    assert [(sent.to, sent.text, sent.language) for sent in console] == [
        ("+358401234567", "Vi ringer dig i morgon kl. 10.", "sv")]
    assert "Vi ringer dig i morgon kl. 10." in caplog.text


@pytest.mark.django_db
def test_the_customers_language_is_the_messages_language(console, django_capture_on_commit_callbacks):
    resident = PersonFactory(language="sv")
    Consent.objects.create(party=resident, purpose=SMS_MESSAGES, granted=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("040 123 4567", "Ditt ärende har avgjorts.", party=resident)

    assert message.language == "sv"
    assert console[0].language == "sv"


@pytest.mark.django_db
def test_nothing_is_sent_when_the_change_rolls_back(console, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_sms("040 123 4567", "Muistutus")
        raise RuntimeError("the change failed")

    assert console == []
    assert not SmsMessage.objects.exists()

