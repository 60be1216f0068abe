"""A resident signs in with strong identification: their customer record, then their account.

Here, at the edge, because it joins two apps that do not know each other: the customers app
finds or creates the person's record, the identity app their account."""

from django.db import transaction
from django.http import HttpRequest

from aspa.audit.reads import record_sign_in
from aspa.customers.operations import find_or_create_identified_person
from aspa.errors import InvalidInput
from aspa.identity.models import User
from aspa.identity.operations import StrongIdentificationRefused, resident_user_for
from aspa.integrations.suomifi.attributes import StrongIdentity

# The audit log's purpose for the record read at sign-in.
STRONG_IDENTIFICATION = "strong identification"


@transaction.atomic
def sign_in_with_strong_identification(identity: StrongIdentity, request: HttpRequest | None = None) -> User:
    """The resident whom the identity provider vouched for, created on their first visit.

    The login is written to the audit log. Staff accounts never sign in this way."""
    try:
        party = find_or_create_identified_person(
            national_id=identity.national_id, first_name=identity.first_name, last_name=identity.last_name,
            email=identity.email, request=request)
    except InvalidInput as refused:
        raise StrongIdentificationRefused(refused.message) from None
    user = resident_user_for(party, email=identity.email)
    record_sign_in(request, user, party.pk, purpose=STRONG_IDENTIFICATION)
    return user
