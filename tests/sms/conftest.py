"""Twilio for the SMS tests, without the network: a requests transport that answers each POST
with the next recorded answer of Twilio's Messages API (recorded/*.json, in the shape its
documentation gives) and keeps the requests it was sent; and signed delivery reports."""

import email.message
import io
import json
import urllib.request
import urllib.response
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from aspa.integrations.sms import twilio
from aspa.integrations.sms.console import ConsoleBackend
from tests.factories.worker import worker_fixture  # noqa: F401  (the fixture)

RECORDED = Path(__file__).parent / "recorded"
ACCOUNT_SID = "AC00000000000000000000000000000001"
AUTH_TOKEN = "twilio-auth-token-for-tests"
SITE_URL = "https://asiointi.esimerkkila.fi"


class RecordedTwilio(urllib.request.BaseHandler):
    """Answers with the queued (status, recorded file) pairs in order; `received` keeps the
    requests as method, url, form and Authorization header. Ahead of the opener's own HTTPS
    handler, so nothing reaches the network; an error status becomes urllib's HTTPError as usual."""

    handler_order = 100

    def __init__(self):
        self.answers: list[tuple[int, str]] = []
        self.received: list[dict] = []

    def answer(self, status: int, recorded: str) -> None:
        self.answers.append((status, recorded))

    def https_open(self, request: urllib.request.Request):
        self.received.append({"method": request.get_method(), "url": request.full_url,
                              "form": dict(parse_qsl(request.data.decode())),
                              "authorization": request.get_header("Authorization")})
        status, recorded = self.answers.pop(0)
        headers = email.message.Message()
        headers["Content-Type"] = "application/json"
        response = urllib.response.addinfourl(io.BytesIO((RECORDED / recorded).read_bytes()), headers,
                                              request.full_url, code=status)
        response.msg = "recorded"
        return response

    http_open = https_open


@pytest.fixture
def console(settings):
    settings.SMS_BACKEND = "console"
    ConsoleBackend.outbox = []
    return ConsoleBackend.outbox


@pytest.fixture
def twilio_api(settings, monkeypatch) -> RecordedTwilio:
    settings.SMS_BACKEND = "twilio"
    settings.SMS_FROM = "Esimerkki"
    settings.SMS_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SMS_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SMS_TWILIO_MESSAGING_SERVICE_SID = ""
    settings.SITE_URL = SITE_URL
    recorded_answers = RecordedTwilio()
    monkeypatch.setattr(twilio, "new_opener", lambda: urllib.request.build_opener(recorded_answers))
    return recorded_answers


def report(client, message, status: str, *, sid: str = "SM00000000000000000000000000000042",
           error_code: str | None = None, signed_with: str = AUTH_TOKEN, reference=None, extra=None):
    """POST a delivery report the way Twilio does: form-encoded, signed in X-Twilio-Signature."""
    path = f"/api/v1/sms/twilio/status?message={reference or message.reference}"
    form = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
            "AccountSid": ACCOUNT_SID, "From": "Esimerkki", "To": message.to if message else "", "ApiVersion": "2010-04-01"}
    if error_code:
        form["ErrorCode"] = error_code
    form.update(extra or {})
    signature = twilio.signature(SITE_URL + path, form.items(), signed_with)
    return client.post(path, form, HTTP_X_TWILIO_SIGNATURE=signature)


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())
