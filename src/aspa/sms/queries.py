"""Reads of text messages."""

import uuid

from aspa.errors import NotFound
from aspa.sms.models import SmsMessage


def message_by_reference(reference: uuid.UUID, *, provider_id: str = "") -> SmsMessage:
    """The message a gateway reports on, by the reference in its callback address; NotFound when
    there is none, or when the gateway's id for it is another than the one the report names."""
    message = SmsMessage.objects.filter(reference=reference).first()
    if message is None or (provider_id and message.provider_id and message.provider_id != provider_id):
        raise NotFound()
    return message
