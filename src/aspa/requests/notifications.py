"""Emails to the customer about their request, in the customer's language, plain text.

Each is written while the change is being saved (so it shows the data as it was) and sent
only after the transaction commits: a rolled-back change never tells the customer anything.

What an email may say depends on whether the customer can read the e-service:

- A customer who can sign in (a person with a henkilötunnus or a portal account, or an
  organisation whose representatives sign in with a mandate) is only told that something is waiting, with a link to
  the errand's page. Email is neither private nor certain to reach the right person, so the
  message, the question, the guidance and the resolution stay behind strong identification.
  Their notification preferences (aspa.customers.preferences) decide whether they are emailed.
- A customer who filed with nothing but an email address (anonymous feedback), or whose record
  has no way to sign in, has no e-service to read. For them the email is the only channel, and
  they chose it by giving only that address, so it carries the text staff wrote for them (the
  desk says so next to the "message to the customer" choice). Without it the answer would never
  reach them; what personal data is in it is what they themselves sent by the same channel.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aspa.customers import preferences
from aspa.customers.models import ContactPoint, Party
from aspa.identity.models import User
from aspa.notifications import send_email
from aspa.requests.models import Message, ServiceRequest

MESSAGES = preferences.EMAIL_MESSAGES
STATUS = preferences.EMAIL_STATUS


def reads_eservice(party: Party | None) -> bool:
    """True if the customer can sign in to the e-service to read what is waiting for them: they have
    signed in before, or have a henkilötunnus to sign in with, or are an organisation."""
    if party is None:
        return False
    if party.kind == Party.Kind.ORGANISATION or party.national_id:
        return True
    return User.objects.filter(party=party, is_active=True).exists()


def customer_address(service_request: ServiceRequest) -> tuple[str, str] | None:
    """(email address, language) of the request's customer, or None if there is nowhere to write."""
    party = service_request.party if service_request.party_id is not None else None
    if party is not None:
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


def errand_link(service_request: ServiceRequest) -> str:
    """The absolute address of the errand's page in the e-service."""
    return f"{settings.SITE_URL}{reverse('portal:request', args=[service_request.number])}"


def _schedule(service_request: ServiceRequest, topic: str, compose) -> bool:
    """Compose the email in the customer's language now; the worker sends it after the commit.

    `compose(in_eservice)` gives the opening lines; with in_eservice=True they must not carry
    any text written about the errand, only that something is waiting."""
    found = customer_address(service_request)
    if found is None:
        return False
    in_eservice = reads_eservice(service_request.party)
    if in_eservice and service_request.party_id is not None and not preferences.wants(service_request.party_id, topic):
        return False
    address, language = found
    with translation.override(language):
        subject = _("Your service request %(number)s") % {"number": service_request.number}
        lines = compose(in_eservice)
        service = service_request.service if service_request.service_id is not None else None
        if service is not None:
            lines.append("")
            lines.append(_("Service: %(service)s") % {"service": service.name})
        lines.append("")
        if in_eservice:
            lines.append(_("Sign in to the e-service with strong identification to see your request:"))
            lines.append(errand_link(service_request))
            lines.append("")
            lines.append(_("You can change which emails you get under My details in the e-service."))
        else:
            lines.append(_("Reference: %(number)s. To answer, call the customer service centre and give this "
                           "reference.") % {"number": service_request.number})
    return send_email(address, subject, "\n".join(lines))


def received(service_request: ServiceRequest) -> bool:
    """The receipt of a filed request, sent once the pipeline has routed it (so the service it
    names is the one that will handle it)."""
    def compose(in_eservice: bool) -> list[str]:
        return [_("We have received your service request %(number)s. We aim to handle it by %(date)s.")
                % {"number": service_request.number, "date": service_request.due_date.strftime("%d.%m.%Y")}]
    return _schedule(service_request, STATUS, compose)


def handler_assigned(service_request: ServiceRequest, handler: User) -> bool:
    """Tell a staff member that a new request was given to them by their team's rule; no customer
    data in the email, only where to find the request."""
    if not handler.email or not handler.is_active:
        return False
    with translation.override(handler.language or "fi"):
        subject = _("New service request %(number)s for you") % {"number": service_request.number}
        body = "\n".join([
            _("The service request %(number)s was assigned to you.") % {"number": service_request.number},
            "",
            f"{settings.SITE_URL}{reverse('desk:request', args=[service_request.number])}",
        ])
    return send_email(handler.email, subject, body)


def message_sent(service_request: ServiceRequest, message: Message) -> bool:
    def compose(in_eservice: bool) -> list[str]:
        if in_eservice:
            return [_("You have a new message from the city about your service request %(number)s. "
                      "It is waiting for you in the e-service.") % {"number": service_request.number}]
        return [_("You have a new message about your service request %(number)s:")
                % {"number": service_request.number}, "", message.body]
    return _schedule(service_request, MESSAGES, compose)


def information_requested(service_request: ServiceRequest, question: str) -> bool:
    def compose(in_eservice: bool) -> list[str]:
        paused = _("The handling time is paused until we receive your answer.")
        if in_eservice:
            return [_("We need more information to handle your service request %(number)s. Our question is "
                      "waiting for you in the e-service, where you can also answer it.")
                    % {"number": service_request.number}, "", paused]
        return [_("We need more information to handle your service request %(number)s:")
                % {"number": service_request.number}, "", question, "", paused]
    return _schedule(service_request, MESSAGES, compose)


def forwarded(service_request: ServiceRequest, owner) -> bool:
    """`owner` is the department or organisation that now handles the request (or None)."""
    def compose(in_eservice: bool) -> list[str]:
        # Who handles it is the request's status, not what anyone wrote: both kinds of email say it.
        # The owner's name is read here, inside the customer's language.
        name = owner.name if owner is not None else _("an expert")
        return [_("Your service request %(number)s has been forwarded to %(owner)s, who will handle it. "
                  "The customer service centre follows it until it is closed.")
                % {"number": service_request.number, "owner": name}]
    return _schedule(service_request, STATUS, compose)


def redirected(service_request: ServiceRequest, message: str = "") -> bool:
    def compose(in_eservice: bool) -> list[str]:
        if in_eservice:
            return [_("Your matter in service request %(number)s is handled elsewhere. Where to turn is "
                      "waiting for you in the e-service.") % {"number": service_request.number}]
        lines = [_("Your matter in service request %(number)s is handled elsewhere. Here is where to turn:")
                 % {"number": service_request.number}, "", service_request.guidance]
        organisation = service_request.redirected_to
        if organisation is not None:
            lines += ["", organisation.name]
            lines += [value for value in (organisation.website, organisation.phone) if value]
        if message:
            lines += ["", message]
        return lines
    return _schedule(service_request, STATUS, compose)


def resolved(service_request: ServiceRequest) -> bool:
    def compose(in_eservice: bool) -> list[str]:
        if in_eservice:
            return [_("Your service request %(number)s has been resolved. The resolution is waiting for you "
                      "in the e-service.") % {"number": service_request.number}]
        return [_("Your service request %(number)s has been resolved:") % {"number": service_request.number},
                "", service_request.resolution]
    return _schedule(service_request, STATUS, compose)
