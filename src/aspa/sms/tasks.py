"""The worker's side of a text message: one try with the configured gateway, and the next try
queued when the gateway could not take it.

Like email (aspa/notifications.py), a try that fails for a reason that passes (the gateway
down, overloaded or answering "try again later") queues the next one after 1, 2, 4 … minutes,
then hourly; a text message is given up after about a day (MAX_ATTEMPTS), since a reminder
later than that would mislead. A gateway's final refusal is not tried again. With inline tasks
(tests) nothing can wait in a queue: the first failure is final."""

import logging

from django.core.exceptions import ImproperlyConfigured
from django.tasks import task
from django.utils import timezone

from aspa.notifications import retry_wait
from aspa.sms import gateway, operations
from aspa.sms.models import SmsMessage

logger = logging.getLogger(__name__)

# 1 + 2 + 4 + … + 32 minutes, then hourly: the 30th try is about a day after the first.
MAX_ATTEMPTS = 30


@task
def deliver_sms(message_id: int, attempt: int = 1) -> str:
    """Hand one queued message to the gateway; when it cannot take it, queue the next try and fail."""
    message = SmsMessage.objects.filter(pk=message_id, status=SmsMessage.Status.QUEUED).first()
    if message is None:
        return "not queued"  # sent by an earlier run, or refused
    try:
        backend = gateway.backend()
    except ImproperlyConfigured as error:
        # An administrator's to fix (ASPA_SMS_*): the message waits for that like for an outage.
        again = _try_again(message_id, attempt)
        operations.mark_failed(message, str(error), final=not again)
        logger.error("Text message %s not sent (try %d): %s", message.reference, attempt, error)
        raise
    operations.note_try(message, backend.name)
    try:
        provider_id = backend.send(gateway.Outgoing(to=message.to, text=message.text,
                                                    reference=message.reference, language=message.language))
    except gateway.Refused as error:
        operations.mark_failed(message, str(error), final=True)
        logger.error("Text message %s refused by %s, not tried again: %s", message.reference, backend.name, error)
        return "refused"
    except gateway.TemporaryFailure as error:
        again = _try_again(message_id, attempt)
        operations.mark_failed(message, str(error), final=not again)
        if again:
            logger.warning("Text message %s not sent (try %d), tried again later: %s",
                           message.reference, attempt, error)
        else:
            logger.error("Text message %s not sent after %d tries, given up: %s", message.reference, attempt, error)
        raise
    operations.mark_sent(message, provider_id)
    return provider_id


def _try_again(message_id: int, attempt: int) -> bool:
    if attempt >= MAX_ATTEMPTS or not deliver_sms.get_backend().supports_defer:
        return False
    deliver_sms.using(run_after=timezone.now() + retry_wait(attempt)).enqueue(message_id, attempt=attempt + 1)
    return True
