"""What a resident reads about their errand: the status and its history in plain words.

The desk's words name the staff's actions ("Assigned", "Classified"); a resident needs to know
what the status means for them and whether they have to do something. The portal's pages show
them; they are the requests app's because they speak of its statuses and history events."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aspa.requests.models import Status


@dataclass(frozen=True)
class PlainStatus:
    short: Promise  # in the list of errands
    headline: Promise  # on the errand's own page
    explanation: Promise


PLAIN_STATUSES = {
    Status.RECEIVED: PlainStatus(
        _("Received"), _("We have received your request"),
        _("Your request is waiting to be handled. We will handle it by the due date.")),
    Status.IN_PROGRESS: PlainStatus(
        _("Being handled"), _("We are handling your request"),
        _("Someone is working on your request now. You do not need to do anything.")),
    Status.WAITING: PlainStatus(
        _("Waiting for you"), _("We need more information from you"),
        _("Read our message below. Handling continues when we receive your answer.")),
    Status.FORWARDED: PlainStatus(
        _("Passed on"), _("Your request has been passed on to the right department"),
        _("The department responsible handles it. The customer service centre follows it until it is done.")),
    Status.REDIRECTED: PlainStatus(
        _("Belongs elsewhere"), _("Your request is handled by another organisation"),
        _("The city cannot handle this matter. See below whom to contact.")),
    Status.RESOLVED: PlainStatus(
        _("Resolved"), _("Your request has been resolved"),
        _("We have handled your request. If something is still unclear, contact the customer service centre.")),
    Status.CLOSED: PlainStatus(
        _("Closed"), _("Your request is closed"),
        _("The handling of your request has ended.")),
}

# The history a resident sees: the filing and the steps that change what happens next.
# Staff-only steps (classifying, assigning, editing) are left out: they change nothing for the resident.
HISTORY_LABELS = {
    "filed": _("Your request was filed"),
    "take": _("Handling started"),
    "request_information": _("We asked you for more information"),
    "provide_information": _("Your additional information arrived"),
    "forward": _("Passed on to the department responsible"),
    "redirect": _("Directed to another organisation"),
    "resolve": _("Resolved"),
    "reopen": _("Handling started again"),
    "close": _("Closed"),
}


def plain_status(status: str) -> PlainStatus:
    return PLAIN_STATUSES[Status(status)]


def history_label(kind: str, from_status: str, to_status: str) -> str | None:
    """The plain label of one history event, or None when the resident need not see it."""
    if kind in HISTORY_LABELS:
        return str(HISTORY_LABELS[kind])
    if to_status and to_status != from_status and to_status in Status.values:
        return str(plain_status(to_status).short)
    return None

