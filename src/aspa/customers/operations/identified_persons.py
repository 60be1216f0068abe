"""The customer record of a person whom strong identification vouched for.

Strong identification (the Suomi.fi integration) asks this app for the person's record; the
customers app never knows how the person was identified. The record is found by the
henkilötunnus or created on the first visit, and its names follow the population register's."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from aspa.customers.models import ContactPoint, Party
from aspa.customers.operations.parties import add_contact_point, create_party, update_party
from aspa.customers.operations.shared import DuplicateParty
from aspa.customers.validation import normalise_national_id
from aspa.errors import InvalidInput


@transaction.atomic
def find_or_create_identified_person(*, national_id: str, first_name: str, last_name: str, email: str = "",
                                     request: HttpRequest | None = None) -> Party:
    """The person's record, locked for the rest of the caller's transaction.

    InvalidInput when the identification gave no valid henkilötunnus or no surname: the
    message is for the person trying to sign in."""
    try:
        national_id = normalise_national_id(national_id)
    except InvalidInput:
        raise InvalidInput({"national_id": []}, _(
            "The identification service did not give a valid personal identity code.")) from None
    if not last_name:
        raise InvalidInput({"last_name": []}, _("The identification service did not give your name."))

    party = Party.objects.select_for_update().filter(national_id=national_id).first()
    if party is None:
        party = _create_person(national_id, first_name, last_name, request)
    else:
        _follow_register_names(party, first_name, last_name, request)
    _add_identified_email(party, email, request)
    return party


def _create_person(national_id: str, first_name: str, last_name: str, request) -> Party:
    try:
        # The identity provider does not say which language the person uses: the page's language
        # at the first sign-in is the best guess, and the resident can change it in My details.
        language = (translation.get_language() or "fi")[:2]
        return create_party(None, kind=Party.Kind.PERSON, first_name=first_name, last_name=last_name,
                            national_id=national_id, request=request,
                            language=language if language in ("fi", "sv", "en") else "fi")
    except DuplicateParty as duplicate:
        # The same person signed in twice at the same moment; the other login created the record.
        return Party.objects.get(pk=duplicate.existing_id)


def _follow_register_names(party: Party, first_name: str, last_name: str, request) -> None:
    wanted = {"first_name": " ".join(first_name.split()), "last_name": " ".join(last_name.split())}
    changes = {field: value for field, value in wanted.items() if value and getattr(party, field) != value}
    if changes:
        # No actor: the change comes from the identity provider (the population register), not from a person.
        update_party(None, party, version=party.version, changes=changes, request=request)


def _add_identified_email(party: Party, email: str, request) -> None:
    """Keep the address the identity provider knows when the record has none yet."""
    if not email or party.contact_points.filter(kind=ContactPoint.Kind.EMAIL).exists():
        return
    try:
        with transaction.atomic():
            add_contact_point(None, party, ContactPoint.Kind.EMAIL, {"value": email}, request=request)
    except InvalidInput:
        pass  # A malformed address from the identity provider must not stop the login.
