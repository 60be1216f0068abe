"""/api/v1/sms/: the gateways' delivery reports. Not for Aspa's users: each endpoint is
authenticated the way its gateway signs its requests, not with Aspa's tokens."""

import uuid

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Form, Router, Schema, Status
from ninja.security import APIKeyHeader

from aspa.error_schema import ErrorOut
from aspa.errors import Forbidden
from aspa.integrations.sms import twilio
from aspa.sms import operations, queries

router = Router(tags=["sms"])

# The parts of Twilio's report that are kept with it (the numbers and the rest are not).
KEPT = ("MessageSid", "MessageStatus", "ErrorCode", "RawDlrDoneDate")


class TwilioSignature(APIKeyHeader):
    """X-Twilio-Signature over the callback's full address and its form, keyed with the Auth Token."""

    param_name = "X-Twilio-Signature"

    def authenticate(self, request: HttpRequest, key: str | None):
        url = f"{settings.SITE_URL}{request.get_full_path()}"
        params = [(name, value) for name, values in request.POST.lists() for value in values]
        if not twilio.is_signed_by_twilio(url, params, key):
            raise Forbidden(_("The delivery report's signature is not valid."))
        return "twilio"


class TwilioStatus(Schema):
    MessageSid: str = Field(..., min_length=1, max_length=64, description="Twilio's id of the message (SM…).")
    MessageStatus: str = Field(..., min_length=1, max_length=30,
                               description="queued, sending, sent, delivered, read, undelivered, failed, canceled.")
    ErrorCode: str | None = Field(None, max_length=30, description="Twilio's error code when not delivered.")


@router.post("/twilio/status", auth=TwilioSignature(), response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Twilio's delivery report on a text message (its StatusCallback)")
def twilio_status(request, message: uuid.UUID, report: Form[TwilioStatus]):
    """Stores the report and moves the message on (sent, delivered, failed). The same report
    again answers 204 and changes nothing; a report never moves a delivered or failed message back."""
    found = queries.message_by_reference(message, provider_id=report.MessageSid)
    operations.record_delivery_report(
        found, reported_status=report.MessageStatus.lower(), status=twilio.STATUSES.get(report.MessageStatus.lower()),
        error_code=report.ErrorCode or "", payload={name: request.POST[name] for name in KEPT if name in request.POST})
    return Status(204, None)
