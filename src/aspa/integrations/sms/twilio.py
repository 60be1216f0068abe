"""Twilio's Programmable Messaging REST API (api.twilio.com, version 2010-04-01).

Sending: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From (or
MessagingServiceSid), Body and StatusCallback, with HTTP basic auth (Account SID, Auth Token);
201 answers the Message resource as JSON with its `sid`. An error answers
{"code", "message", "more_info", "status"}. 429 and 5xx, a refused connection or a timeout pass
(tried again); 401 means Aspa's credentials are wrong, which an administrator fixes, so the
messages wait for that too; any other 4xx (21211 invalid number, 21610 the recipient has
unsubscribed, 21614 not a mobile number, …) is final.

Delivery reports: Twilio POSTs the message's StatusCallback (form-encoded MessageSid,
MessageStatus, ErrorCode, …) signed in X-Twilio-Signature: base64 of HMAC-SHA1, keyed with the
Auth Token, over the full callback URL followed by every POST parameter's name and value,
sorted by name (twilio.com/docs/usage/webhooks/webhooks-security)."""

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from aspa.sms.gateway import Outgoing, Refused, SmsBackend, TemporaryFailure, register
from aspa.sms.models import SmsMessage

logger = logging.getLogger(__name__)

API_URL = "https://api.twilio.com"
STATUS_PATH = "/api/v1/sms/twilio/status"
TIMEOUT_SECONDS = 10

# Twilio's message statuses (its Message resource) → Aspa's; None: nothing new for Aspa.
STATUSES: dict[str, str | None] = {
    "accepted": None, "scheduled": None, "queued": None, "sending": None,
    "sent": SmsMessage.Status.SENT,
    "delivered": SmsMessage.Status.DELIVERED, "read": SmsMessage.Status.DELIVERED,
    "undelivered": SmsMessage.Status.FAILED, "failed": SmsMessage.Status.FAILED,
    "canceled": SmsMessage.Status.FAILED,
}


def new_opener() -> urllib.request.OpenerDirector:
    """What a backend sends with (the tests give it a handler that answers from recordings).
    The standard library's client: Aspa needs no more for one form POST, and a module named
    `requests` would be shadowed by aspa/requests/ wherever src/aspa is the working directory."""
    return urllib.request.build_opener()


def status_callback_url(message: Outgoing) -> str:
    return f"{settings.SITE_URL}{STATUS_PATH}?message={message.reference}"


@register("twilio")
class TwilioBackend(SmsBackend):
    def __init__(self) -> None:
        self.account_sid = settings.SMS_TWILIO_ACCOUNT_SID
        self.auth_token = settings.SMS_TWILIO_AUTH_TOKEN
        if not self.account_sid or not self.auth_token:
            raise ImproperlyConfigured("The twilio SMS backend needs ASPA_SMS_TWILIO_ACCOUNT_SID and "
                                       "ASPA_SMS_TWILIO_AUTH_TOKEN")
        if not settings.SMS_FROM and not settings.SMS_TWILIO_MESSAGING_SERVICE_SID:
            raise ImproperlyConfigured("The twilio SMS backend needs ASPA_SMS_FROM or "
                                       "ASPA_SMS_TWILIO_MESSAGING_SERVICE_SID")
        if not settings.SMS_TWILIO_API_URL.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ASPA_SMS_TWILIO_API_URL must be an https:// address")
        self.opener = new_opener()

    def send(self, message: Outgoing) -> str:
        form = {"To": message.to, "Body": message.text, "StatusCallback": status_callback_url(message)}
        if settings.SMS_TWILIO_MESSAGING_SERVICE_SID:
            form["MessagingServiceSid"] = settings.SMS_TWILIO_MESSAGING_SERVICE_SID
        else:
            form["From"] = settings.SMS_FROM
        url = f"{settings.SMS_TWILIO_API_URL}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310  (the address is the setting's, checked to be http(s))
            url, data=urllib.parse.urlencode(form).encode(), method="POST",
            headers={"Authorization": f"Basic {credentials}", "Accept": "application/json",
                     "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError as error:  # refused, unreachable, timed out (URLError is an OSError)
            raise TemporaryFailure(f"Twilio could not be reached: {error}") from error
        if status in (200, 201):
            sid = _json(body).get("sid")
            if not isinstance(sid, str) or not sid:
                raise TemporaryFailure(f"Twilio answered {status} without a message sid")
            return sid
        answer = _describe(status, body)
        if status in (401, 429) or status >= 500:
            if status == 401:
                logger.error("Twilio refused Aspa's credentials (ASPA_SMS_TWILIO_*): %s", answer)
            raise TemporaryFailure(answer)
        raise Refused(answer)


def _json(body: bytes) -> dict:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _describe(status: int, body: bytes) -> str:
    parsed = _json(body)
    if "code" in parsed or "message" in parsed:
        return f"Twilio {status} {parsed.get('code', '')}: {parsed.get('message', '')}".strip()
    return f"Twilio {status}: {body[:200].decode(errors='replace')}"


def signature(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    """Twilio's X-Twilio-Signature of a form-encoded request to `url` with these parameters."""
    signed = url + "".join(name + value for name, value in sorted(set(params)))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_signed_by_twilio(url: str, params: Iterable[tuple[str, str]], given: str | None) -> bool:
    token = settings.SMS_TWILIO_AUTH_TOKEN
    if not token or not given:
        return False
    return hmac.compare_digest(signature(url, params, token), given)
