"""Emails to the customer about their request, in the customer's language, plain text.

Each is written while the change is being saved (so it shows the data as it was) and sent
only after the transaction commits: a rolled-back change never tells the customer anything."""

from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from aspa.customers.models import ContactPoint
from aspa.requests.models import Message, ServiceRequest


def customer_address(service_request: ServiceRequest) -> tuple[str, str] | None:
    """(email address, language) of the request's customer, or None if there is nowhere to write."""
    if service_request.party_id is not None:
        party = service_request.party
        email = (
            ContactPoint.objects.filter(party=party, kind=ContactPoint.Kind.EMAIL)
            .exclude(value="")
            .order_by("-is_primary", "id")
            .values_list("value", flat=True)
            .first()
        )
        return (email, party.language) if email else None
    if service_request.contact_email:
        return service_request.contact_email, service_request.language or "fi"
    return None


def _send(subject: str, body: str, address: str) -> None:
    send_mail(subject, body, None, [address])


def _schedule(service_request: ServiceRequest, compose) -> bool:
    """Compose the email in the customer's language now and send it on commit."""
    found = customer_address(service_request)
    if found is None:
        return False
    address, language = found
    with translation.override(language):
        subject = _("Your service request %(number)s") % {"number": service_request.number}
        lines = compose()
        if service_request.service_id is not None:
            lines.append("")
            lines.append(_("Service: %(service)s") % {"service": service_request.service.name})
        lines.append("")
        lines.append(_("Reference: %(number)s. Answer by replying in the e-service or by calling the customer "
                       "service centre.") % {"number": service_request.number})
    transaction.on_commit(partial(_send, subject, "\n".join(lines), address))
    return True


def message_sent(service_request: ServiceRequest, message: Message) -> bool:
    def compose() -> list[str]:
        return [_("You have a new message about your service request %(number)s:")
                % {"number": service_request.number}, "", message.body]
    return _schedule(service_request, compose)


def information_requested(service_request: ServiceRequest, question: str) -> bool:
    def compose() -> list[str]:
        return [_("We need more information to handle your service request %(number)s:")
                % {"number": service_request.number}, "", question, "",
                _("The handling time is paused until we receive your answer.")]
    return _schedule(service_request, compose)


def forwarded(service_request: ServiceRequest, owner) -> bool:
    """`owner` is the department or organisation that now handles the request (or None)."""
    def compose() -> list[str]:
        # The owner's name is read here, inside the customer's language.
        name = owner.name if owner is not None else _("an expert")
        return [_("Your service request %(number)s has been forwarded to %(owner)s, who will handle it. "
                  "The customer service centre follows it until it is closed.")
                % {"number": service_request.number, "owner": name}]
    return _schedule(service_request, compose)


def redirected(service_request: ServiceRequest, message: str = "") -> bool:
    def compose() -> list[str]:
        lines = [_("Your matter in service request %(number)s is handled elsewhere. Here is where to turn:")
                 % {"number": service_request.number}, "", service_request.guidance]
        organisation = service_request.redirected_to
        if organisation is not None:
            lines += ["", organisation.name]
            lines += [value for value in (organisation.website, organisation.phone) if value]
        if message:
            lines += ["", message]
        return lines
    return _schedule(service_request, compose)


def resolved(service_request: ServiceRequest) -> bool:
    def compose() -> list[str]:
        return [_("Your service request %(number)s has been resolved:") % {"number": service_request.number},
                "", service_request.resolution]
    return _schedule(service_request, compose)
