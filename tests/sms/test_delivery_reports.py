"""Twilio's delivery reports (its StatusCallback, signed in X-Twilio-Signature) are stored with
the message and move it on: delivered, or failed with Twilio's error code. The same report twice
changes nothing; a late "sent" never moves a delivered message back. A report that is not signed
by Twilio, names no message of Aspa's or lacks its fields gets the API's JSON error, never a 500."""

import pytest
from django.test import Client

from aspa.integrations.sms import twilio
from aspa.sms.models import DeliveryReport, SmsMessage
from aspa.sms.operations import send_sms
from tests.sms.conftest import report

SID = "SM00000000000000000000000000000042"


@pytest.fixture
def sent(twilio_api, django_capture_on_commit_callbacks) -> SmsMessage:
    twilio_api.answer(201, "message_created.json")
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("040 123 4567", "Muistutus: soittoaika huomenna klo 10.")
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT
    return message


def test_the_signature_is_twilios():
    """Twilio's own published example (twilio-python's request validator tests)."""
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
              "From": "+14158675309", "To": "+18005551212"}
    assert twilio.signature("https://mycompany.com/myapp.php?foo=1&bar=2", params.items(), "12345") \
        == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


@pytest.mark.django_db
def test_a_delivered_report_marks_the_message_delivered(sent):
    response = report(Client(), sent, "delivered")

    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == SmsMessage.Status.DELIVERED
    assert sent.delivered_at is not None
    [stored] = sent.reports.all()
    assert stored.reported_status == "delivered"
    # Only what is needed is kept: not the numbers.
    assert stored.payload == {"MessageSid": SID, "MessageStatus": "delivered"}


@pytest.mark.django_db
def test_the_same_report_twice_changes_nothing(sent):
    client = Client()
    report(client, sent, "sent")
    report(client, sent, "delivered")
    sent.refresh_from_db()
    delivered_at = sent.delivered_at

    again = report(client, sent, "delivered")
    late = report(client, sent, "sent")

    assert (again.status_code, late.status_code) == (204, 204)
    sent.refresh_from_db()
    assert sent.status == SmsMessage.Status.DELIVERED
    assert sent.delivered_at == delivered_at
    assert [r.reported_status for r in sent.reports.order_by("id")] == ["sent", "delivered"]


@pytest.mark.django_db
def test_an_undelivered_report_fails_the_message_with_twilios_code(sent):
    response = report(Client(), sent, "undelivered", error_code="30003")

    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == SmsMessage.Status.FAILED
    assert "30003" in sent.error
    assert sent.reports.get().error_code == "30003"


@pytest.mark.django_db
def test_a_report_that_comes_before_the_worker_has_stored_twilios_id(twilio_api, settings):
    """Twilio may call back before the worker has saved the answer to its request."""
    message = SmsMessage.objects.create(to="+358401234567", text="Muistutus", language="fi")

    response = report(Client(), message, "delivered")

    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.DELIVERED


@pytest.mark.django_db
def test_an_unsigned_or_wrongly_signed_report_is_refused(sent):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    forged = report(client, sent, "failed", signed_with="guessed")
    path = f"/api/v1/sms/twilio/status?message={sent.reference}"
    unsigned = client.post(path, {"MessageSid": SID, "MessageStatus": "failed"})
    # Signed, but the body was changed on the way.
    tampered = client.post(path, {"MessageSid": SID, "MessageStatus": "failed"},
                             HTTP_X_TWILIO_SIGNATURE=twilio.signature(
                                 "https://asiointi.esimerkkila.fi" + path,
                                 [("MessageSid", SID), ("MessageStatus", "delivered")], "twilio-auth-token-for-tests"))

    for response in (forged, unsigned, tampered):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        assert response.json()["error"]["message"] == "The delivery report's signature is not valid."
    in_finnish = report(Client(HTTP_ACCEPT_LANGUAGE="fi"), sent, "failed", signed_with="guessed")
    assert in_finnish.json()["error"]["message"] == "Toimitusraportin allekirjoitus ei ole kelvollinen."
    sent.refresh_from_db()
    assert sent.status == SmsMessage.Status.SENT
    assert not DeliveryReport.objects.exists()


@pytest.mark.django_db
def test_a_report_on_an_unknown_message_is_not_found(sent):
    unknown = report(Client(), sent, "delivered", reference="6a2f41a3-c54c-fce8-32d2-0324e1c32e22")
    other_sid = report(Client(), sent, "delivered", sid="SM99999999999999999999999999999999")

    for response in (unknown, other_sid):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert not DeliveryReport.objects.exists()


@pytest.mark.django_db
def test_bad_report_input_is_a_json_error(sent):
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    missing_status = report(client, sent, "", extra={"MessageStatus": ""})
    not_a_reference = report(client, sent, "delivered", reference="not-a-uuid")
    too_long = report(client, sent, "x" * 31)
    with_nul = report(client, sent, "deliv\x00ered")

    for response in (missing_status, not_a_reference, too_long, with_nul):
        assert response.status_code == 422, response.content
        assert response.json()["error"]["code"] == "invalid"
    assert "form.MessageStatus" in missing_status.json()["error"]["fields"]
    assert "message" in not_a_reference.json()["error"]["fields"]
    assert not DeliveryReport.objects.exists()


@pytest.mark.django_db
def test_the_webhook_is_in_the_openapi_document():
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/sms/twilio/status"]["post"]

    assert set(operation["responses"]) == {"204", "403", "404", "422"}
    assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"]
    assert any("TwilioSignature" in scheme for scheme in operation["security"])
