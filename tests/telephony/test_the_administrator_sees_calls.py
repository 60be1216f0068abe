"""The administrator edits the phone queues and their hours; the calls are read-only, and
opening a customer's call (their number, the recording reference) is an audited read."""

import pytest
from django.test import Client

from aspa.audit.models import AuditEntry
from aspa.identity.models import Role
from aspa.telephony.models import Call, PhoneQueue
from tests.factories.customers import PhoneFactory
from tests.factories.identity import UserFactory
from tests.telephony.conftest import answered_call


@pytest.fixture
def admin_client(db):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_queue_is_edited(admin_client, queues):
    queue = queues["sv"]
    page = admin_client.post(f"/admin/telephony/phonequeue/{queue.pk}/change/", {
        "code": "sv", "name": "Rådgivning", "language": "sv", "open_weekdays": "1234", "opens_at": "08:00",
        "closes_at": "15:00"})

    assert page.status_code == 302
    queue.refresh_from_db()
    assert (queue.open_weekdays, queue.opens_at.hour, queue.closes_at.hour) == ("1234", 8, 15)
    assert PhoneQueue.objects.count() == 2


def test_a_call_is_read_only_and_opening_it_is_audited(admin_client, cti):
    phone = PhoneFactory(value="+358401110000")
    cti.post("telephony/events", {"events": answered_call("A1", "fi", "09:00:00", "09:00:10", "09:04:10")})
    call = Call.objects.get(external_id="A1")

    page = admin_client.get(f"/admin/telephony/call/{call.pk}/change/")
    adding = admin_client.get("/admin/telephony/call/add/")

    assert page.status_code == 200
    assert "+358401110000" in page.content.decode()
    assert "call event" in page.content.decode().lower()
    assert b'name="_save"' not in page.content
    assert adding.status_code == 403
    [entry] = AuditEntry.objects.filter(action="read")
    assert (entry.object_type, entry.party_id) == ("call", phone.party_id)
