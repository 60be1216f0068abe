"""A customer who has said no to text messages gets none: the message is kept, refused, for the
record, and no gateway hears of it. The customer register's choices decide (customers.preferences):
text messages go only to those who have asked for them, purpose by purpose."""

import pytest

from aspa.customers.models import Consent
from aspa.customers.preferences import SMS_MESSAGES, SMS_STATUS
from aspa.sms.models import SmsMessage
from aspa.sms.operations import send_sms
from tests.factories.customers import PersonFactory


@pytest.mark.django_db
def test_a_customer_who_said_no_gets_no_text_message(console, django_capture_on_commit_callbacks):
    resident = PersonFactory()
    Consent.objects.create(party=resident, purpose=SMS_STATUS, granted=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = send_sms("040 123 4567", "Asianne on ratkaistu.", party=resident, purpose=SMS_STATUS)

    assert callbacks == []
    assert console == []
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.REFUSED
    assert message.attempts == 0


@pytest.mark.django_db
def test_a_customer_who_never_asked_gets_none_either(console, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("040 123 4567", "Muistutus", party=PersonFactory())

    assert console == []
    assert message.status == SmsMessage.Status.REFUSED


@pytest.mark.django_db
def test_the_choice_is_per_purpose(console, django_capture_on_commit_callbacks):
    resident = PersonFactory()
    Consent.objects.create(party=resident, purpose=SMS_MESSAGES, granted=True)
    Consent.objects.create(party=resident, purpose=SMS_STATUS, granted=False)

    with django_capture_on_commit_callbacks(execute=True):
        wanted = send_sms("040 123 4567", "Soitamme huomenna.", party=resident, purpose=SMS_MESSAGES)
        unwanted = send_sms("040 123 4567", "Asianne on ratkaistu.", party=resident, purpose=SMS_STATUS)

    assert [sent.text for sent in console] == ["Soitamme huomenna."]
    wanted.refresh_from_db()
    unwanted.refresh_from_db()
    assert (wanted.status, unwanted.status) == (SmsMessage.Status.SENT, SmsMessage.Status.REFUSED)


@pytest.mark.django_db
def test_a_customer_who_withdraws_their_yes_gets_none(console, django_capture_on_commit_callbacks):
    resident = PersonFactory()
    consent = Consent.objects.create(party=resident, purpose=SMS_MESSAGES, granted=True)
    consent.granted = False
    consent.save()

    with django_capture_on_commit_callbacks(execute=True):
        send_sms("040 123 4567", "Muistutus", party=resident)

    assert console == []
