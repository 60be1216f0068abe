"""The receipt of a filed form: what the resident sees on screen and gets by email, in their
language. The email is plain text; the worker sends it after the filing commits
(aspa/notifications.py), so a filing that rolls back never sends a receipt."""

from django.utils import formats, translation
from django.utils.translation import gettext as _

from aspa.eforms.models import Submission
from aspa.notifications import send_email
from aspa.requests.models import ServiceRequest


def next_steps(service_request: ServiceRequest) -> str:
    return _("Your errand is now with the city. We handle it by %(date)s at the latest; if we need more "
             "information, we ask you. You can follow the errand in the e-services with its number.") % {
        "date": formats.date_format(service_request.due_date, "SHORT_DATE_FORMAT")}


def handling_days(service_request: ServiceRequest) -> int | None:
    return service_request.service.target_days if service_request.service_id is not None else None


def schedule_receipt(submission: Submission, service_request: ServiceRequest, address: str) -> bool:
    """Compose the receipt now in the filer's language; the worker sends it after the commit."""
    if not address:
        return False
    with translation.override(submission.language):
        form = submission.version.form
        subject = _("Receipt: your errand %(number)s has been filed") % {"number": service_request.number}
        lines = [
            _("Thank you. We have received your form “%(form)s”.") % {"form": form.title},
            "",
            _("Number: %(number)s") % {"number": service_request.number},
            _("Service: %(service)s") % {"service": form.service.name},
            _("To be handled by: %(date)s") % {
                "date": formats.date_format(service_request.due_date, "SHORT_DATE_FORMAT")},
            "",
            next_steps(service_request),
            "",
            _("Please quote the number %(number)s when you contact us about this errand.")
            % {"number": service_request.number},
        ]
    return send_email(address, subject, "\n".join(lines))
