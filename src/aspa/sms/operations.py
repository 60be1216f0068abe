"""Every change to a text message: queuing it (`send_sms`), the worker's outcome of a try, and
the gateway's delivery reports. The worker's side is in tasks.py."""

import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

from aspa.customers import preferences
from aspa.customers.models import LANGUAGES, Party
from aspa.customers.validation import normalise_phone
from aspa.errors import InvalidInput
from aspa.sms.models import DeliveryReport, SmsMessage

logger = logging.getLogger(__name__)

# Twilio's limit for one message's text (ten segments); longer texts are refused here, not there.
MAX_LENGTH = 1600
PURPOSES = (preferences.SMS_MESSAGES, preferences.SMS_STATUS)
FINAL = (SmsMessage.Status.DELIVERED, SmsMessage.Status.FAILED, SmsMessage.Status.REFUSED)


def send_sms(to: str, text: str, *, party: Party | None = None, purpose: str = preferences.SMS_MESSAGES,
             language: str | None = None) -> SmsMessage:
    """Queue a text message for the worker (after the current transaction commits) and return it.

    `to` may be written as people write it ("040 123 4567" is read as Finnish); an invalid one
    raises InvalidInput. With `party`, the customer register decides: a customer who has not
    asked for text messages of this `purpose` (customers.preferences) gets none, and the message
    is stored as refused. Without a party the number was given for this one message. The text is
    composed by the caller in the customer's language; `language` defaults to the customer's."""
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown text message purpose {purpose!r}")
    number = normalise_phone(to, field="to")
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": [_("This field is required.")]})
    if len(text) > MAX_LENGTH:
        raise InvalidInput({"text": [_("The text is too long.")]})
    wanted = party is None or preferences.wants(party.pk, purpose)
    with transaction.atomic():
        message = SmsMessage.objects.create(
            to=number, text=text, language=_language(language, party), party=party, purpose=purpose,
            status=SmsMessage.Status.QUEUED if wanted else SmsMessage.Status.REFUSED)
        if not wanted:
            logger.info("Text message %s not sent: customer %s has not asked for %s", message.reference,
                        party.pk if party else None, purpose)
            return message
        _enqueue(message.pk)
    return message


def _language(language: str | None, party: Party | None) -> str:
    known = {code for code, _name in LANGUAGES}
    for candidate in (language, party.language if party else None, (translation.get_language() or "")[:2]):
        if candidate in known:
            return candidate
    return "fi"


def _enqueue(message_id: int) -> None:
    from aspa.sms.tasks import deliver_sms

    if transaction.get_connection().in_atomic_block and isinstance(deliver_sms.get_backend(), DatabaseBackend):
        # As with email (aspa/notifications.py): the queue is a table of the same database, so the
        # task exists exactly when the message does.
        deliver_sms.enqueue(message_id)
        return
    transaction.on_commit(partial(deliver_sms.enqueue, message_id), robust=True)


def note_try(message: SmsMessage, backend: str) -> None:
    SmsMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1, backend=backend)


def mark_sent(message: SmsMessage, provider_id: str) -> None:
    """The gateway took the message. A delivery report may have come first: it is not undone."""
    with transaction.atomic():
        SmsMessage.objects.filter(pk=message.pk).update(provider_id=provider_id, sent_at=timezone.now(), error="")
        SmsMessage.objects.filter(pk=message.pk, status=SmsMessage.Status.QUEUED).update(
            status=SmsMessage.Status.SENT)


def mark_failed(message: SmsMessage, error: str, *, final: bool) -> None:
    """A try failed; `final` when it will not be tried again."""
    changes: dict = {"error": error[:2000]}
    if final:
        changes["status"] = SmsMessage.Status.FAILED
    SmsMessage.objects.filter(pk=message.pk, status=SmsMessage.Status.QUEUED).update(**changes)


def record_delivery_report(message: SmsMessage, *, reported_status: str, status: str | None,
                           error_code: str = "", payload: dict | None = None) -> bool:
    """Store a gateway's report and move the message on to `status` (None: a report that changes
    nothing, like "sending"). A report already stored for this message and reported status changes
    nothing, and neither does one that would move a delivered or failed message back. True when
    the report was new."""
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().get(pk=message.pk)
        try:
            with transaction.atomic():
                DeliveryReport.objects.create(message=locked, reported_status=reported_status[:30],
                                              error_code=error_code[:30], payload=payload or {})
        except IntegrityError:
            return False
        if status is None or locked.status in FINAL or locked.status == status:
            return True
        changes: dict = {"status": status}
        if status == SmsMessage.Status.DELIVERED:
            changes["delivered_at"] = timezone.now()
        if status == SmsMessage.Status.FAILED and error_code:
            changes["error"] = _("The gateway could not deliver the message (error %(code)s).") % {"code": error_code}
        SmsMessage.objects.filter(pk=locked.pk).update(**changes)
        return True
