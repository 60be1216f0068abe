"""A number is stored and sent in E.164 form however it was written; one that is not a phone
number is refused with a message in the caller's language, and nothing is queued."""

import pytest
from django.utils import translation

from aspa.errors import InvalidInput
from aspa.sms.models import SmsMessage
from aspa.sms.operations import send_sms


@pytest.mark.django_db
@pytest.mark.parametrize(("written", "stored"), [
    ("040 123 4567", "+358401234567"),
    ("0401234567", "+358401234567"),
    ("+358 40 123 4567", "+358401234567"),
    ("00358-40-1234567", "+358401234567"),
    ("+46 70 123 45 67", "+46701234567"),
])
def test_a_number_is_stored_in_international_form(console, written, stored, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms(written, "Muistutus: soittoaika huomenna klo 10.")

    message.refresh_from_db()
    assert message.to == stored
    assert [sent.to for sent in console] == [stored]


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["12345", "040 123", "not a number", ""])
def test_an_invalid_number_is_refused_in_the_callers_language(console, written):
    with translation.override("fi"), pytest.raises(InvalidInput) as refused:
        send_sms(written, "Muistutus")

    assert refused.value.as_dict()["error"]["fields"] == {"to": ["Tämä ei ole kelvollinen puhelinnumero."]}
    assert not SmsMessage.objects.exists()
    assert console == []


@pytest.mark.django_db
def test_an_empty_or_overlong_text_is_refused(console):
    with pytest.raises(InvalidInput) as empty:
        send_sms("040 123 4567", "   ")
    with pytest.raises(InvalidInput) as long:
        send_sms("040 123 4567", "x" * 1601)

    assert list(empty.value.fields) == ["text"]
    assert list(long.value.fields) == ["text"]
    assert not SmsMessage.objects.exists()
