"""The administrator's list of text messages, filtered by status, read-only; opening one (the
customer's number and text) is an audited read, and shows its delivery reports."""

import pytest
from django.test import Client

from aspa.audit.models import AuditEntry
from aspa.identity.models import Role
from aspa.sms.models import DeliveryReport, SmsMessage
from tests.factories.customers import PersonFactory
from tests.factories.identity import UserFactory


@pytest.fixture
def admin_client(db):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _message(to: str, status: str, **fields) -> SmsMessage:
    return SmsMessage.objects.create(to=to, text="Muistutus", language="fi", status=status, **fields)


def test_the_list_filters_by_status(admin_client):
    _message("+358401111111", SmsMessage.Status.DELIVERED)
    _message("+358402222222", SmsMessage.Status.FAILED, error="Twilio 400 21610: Attempt to send to unsubscribed recipient")
    _message("+358403333333", SmsMessage.Status.REFUSED)

    everything = admin_client.get("/admin/sms/smsmessage/").content.decode()
    failed = admin_client.get("/admin/sms/smsmessage/", {"status__exact": "failed"}).content.decode()

    assert all(number in everything for number in ("+358401111111", "+358402222222", "+358403333333"))
    assert "+358402222222" in failed
    assert "+358401111111" not in failed and "+358403333333" not in failed


def test_a_message_is_read_only_and_opening_it_is_audited(admin_client):
    resident = PersonFactory()
    message = _message("+358401111111", SmsMessage.Status.DELIVERED, party=resident)
    DeliveryReport.objects.create(message=message, reported_status="delivered", payload={"MessageStatus": "delivered"})

    page = admin_client.get(f"/admin/sms/smsmessage/{message.pk}/change/")
    adding = admin_client.get("/admin/sms/smsmessage/add/")

    assert page.status_code == 200
    assert "+358401111111" in page.content.decode()
    assert "delivery report" in page.content.decode().lower()
    assert b'name="_save"' not in page.content
    assert adding.status_code == 403
    [entry] = AuditEntry.objects.filter(action="read")
    assert (entry.object_type, entry.party_id) == ("sms", resident.pk)
