"""What came of a contact with the customer service centre, as the resident would say it.

The staff's names for the outcomes are the model's choices (Outcome); these are the resident's."""

from django.utils.translation import gettext_lazy as _

CONTACT_OUTCOMES = {
    "answered": _("Answered there and then"),
    "request_filed": _("A service request was filed"),
    "forwarded": _("Passed on to the department responsible"),
    "redirected": _("Directed to another organisation"),
    "no_answer": _("We could not reach you"),
}


def contact_outcome(outcome: str) -> str:
    return str(CONTACT_OUTCOMES[outcome]) if outcome in CONTACT_OUTCOMES else ""
