"""A call joins its caller's contact history: the number, however the contact-centre system
writes it, is normalised and matched to the one customer who has it."""

import pytest

from aspa.telephony.models import Call
from aspa.telephony.queries import calls_of_party
from tests.factories.customers import PhoneFactory
from tests.telephony.conftest import answered_call, event


@pytest.mark.django_db
def test_a_caller_is_matched_by_a_differently_written_number(cti):
    phone = PhoneFactory(value="+358401234567")
    events = answered_call("M1", "fi", "09:00:00", "09:00:10", "09:04:10")
    events[0]["caller"] = "040-123 4567"

    assert cti.post("telephony/events", {"events": events}).status_code == 200

    call = Call.objects.get(external_id="M1")
    assert (call.caller, call.party_id) == ("+358401234567", phone.party_id)
    assert list(calls_of_party(phone.party_id)) == [call]
    assert (call.wait.total_seconds(), call.talk.total_seconds()) == (10, 240)


@pytest.mark.django_db
def test_a_number_two_customers_share_is_matched_to_neither(cti):
    PhoneFactory(value="+358401234567")
    PhoneFactory(value="+358401234567")

    cti.post("telephony/events", event("M2", "offered", "09:00:00", queue="fi", caller="+358 40 123 4567"))

    assert Call.objects.get(external_id="M2").party_id is None


@pytest.mark.django_db
def test_a_withheld_number_is_matched_to_no_one(cti):
    cti.post("telephony/events", event("M3", "offered", "09:00:00", queue="fi"))

    call = Call.objects.get(external_id="M3")
    assert (call.caller, call.party_id, call.outcome) == ("", None, "waiting")
