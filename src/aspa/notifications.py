"""Every email Aspa sends goes through here: `send_email` queues it for the background worker
(`aspa worker`) once the caller's transaction commits, so a web request never talks to the mail
server and a change that rolls back never tells anybody anything.

The apps compose their emails themselves (in the reader's language, while the change is being
saved) and hand over only addresses, a subject and a plain-text body: this module knows nothing
of requests or customers. A top-level module, like env.py, because every layer sends email.

When the mail server cannot take an email (down, unreachable, or answering "try again later"),
the run fails, and is recorded as failed with the server's answer, and a new run of the same
email waits in the queue: after 1, 2, 4 … minutes, then every hour, for about three days. An
outage delays mail and loses none. Only a server's final "no such recipient" (5xx for every
recipient) is not tried again. With inline tasks (ASPA_TASKS_IMMEDIATE, tests) nothing can wait
in a queue: a failed email is logged and dropped."""

import datetime
import logging
import smtplib
from collections.abc import Sequence
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)

# 1 + 2 + 4 + … + 32 minutes, then hourly: the 75th try is about three days after the first.
FIRST_WAIT = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 75


def send_email(to: str | Sequence[str], subject: str, body: str, *, from_email: str | None = None) -> bool:
    """Queue a plain-text email to be sent by the worker after the current transaction commits
    (at once when there is none; with the database queue, in the transaction itself). `from_email` None is DEFAULT_FROM_EMAIL. False when there is
    nobody to send to."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not any(recipients):
        return False
    if transaction.get_connection().in_atomic_block and isinstance(deliver_email.get_backend(), DatabaseBackend):
        # The queue is a table of the same database: queued in the change's own transaction, the
        # email exists exactly when the change does (an outbox step that sends one commits both
        # or neither), and the worker cannot see it before the commit.
        deliver_email.enqueue(recipients, subject, body, from_email)
        return True
    # robust: the change has committed by then; a queue that cannot be written is logged rather
    # than turned into an error page for a change that was saved.
    transaction.on_commit(partial(deliver_email.enqueue, recipients, subject, body, from_email), robust=True)
    return True


@task
def deliver_email(recipients: list[str], subject: str, body: str, from_email: str | None = None,
                  attempt: int = 1) -> int:
    """Send one queued email; when the server cannot take it, queue the next try and fail."""
    message = EmailMessage(subject, body, from_email, recipients)
    try:
        return message.send()
    except OSError as error:  # smtplib's errors, refused connections and timeouts
        if _is_final(error):
            logger.error("Email %r to %s refused by the mail server, not tried again: %s",
                         subject, ", ".join(recipients), error)
            raise
        if not _try_again(recipients, subject, body, from_email, attempt):
            logger.error("Email %r to %s not sent after %d tries, given up: %s",
                         subject, ", ".join(recipients), attempt, error)
            raise
        logger.warning("Email %r to %s not sent (try %d), tried again later: %s",
                       subject, ", ".join(recipients), attempt, error)
        raise


def retry_wait(attempt: int) -> datetime.timedelta:
    """How long the next try waits after try number `attempt` failed."""
    return min(FIRST_WAIT * 2 ** min(attempt - 1, 16), LONGEST_WAIT)


def _try_again(recipients: list[str], subject: str, body: str, from_email: str | None, attempt: int) -> bool:
    if attempt >= MAX_ATTEMPTS or not deliver_email.get_backend().supports_defer:
        return False
    deliver_email.using(run_after=timezone.now() + retry_wait(attempt)).enqueue(
        recipients, subject, body, from_email, attempt=attempt + 1)
    return True


def _is_final(error: OSError) -> bool:
    """True when the server said for good that it will not take the email for these recipients."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _message in error.recipients.values())
    return False
