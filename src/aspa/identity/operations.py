import datetime
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aspa.audit.models import AuditAction
from aspa.audit.operations import record
from aspa.customers.models import ContactPoint, Party
from aspa.customers.operations import DuplicateParty, add_contact_point, create_party, update_party
from aspa.customers.validation import normalise_national_id
from aspa.errors import InvalidInput, NotFound
from aspa.identity.models import ApiToken, Role, UsedSamlMessage, User


@transaction.atomic
def create_token(*, role: str, name: str, user: User | None = None, department=None) -> tuple[ApiToken, str]:
    """A new API token and the key to give its holder (shown once, never stored).

    Without a user, the token gets a service account of its own with the role."""
    if role not in Role.values or role == Role.RESIDENT:
        raise InvalidInput({"role": [_("Unknown role: %(role)s.") % {"role": role}]})
    if not name.strip():
        raise InvalidInput({"name": [_("This field is required.")]})
    if user is None:
        username = f"api-{name.strip()}"[:150]
        user, _created = User.objects.get_or_create(username=username, defaults={"role": role, "department": department})
        if user.role != role:
            raise InvalidInput({"name": [_("A token named %(name)s already exists with another role.") % {"name": name}]})
        user.set_unusable_password()
        user.save(update_fields=["password"])
    key = "aspa_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip(), prefix=key[:12], key_hash=ApiToken.hash_key(key))
    return token, key


def revoke_token(*, prefix_or_name: str) -> int:
    """Revoke tokens by their prefix or name; returns how many were revoked."""
    tokens = ApiToken.objects.filter(revoked_at__isnull=True)
    matching = tokens.filter(prefix=prefix_or_name) | tokens.filter(name=prefix_or_name)
    count = matching.update(revoked_at=timezone.now())
    if count == 0:
        raise NotFound(_("No active token with that prefix or name."))
    return count


# --- strong identification (SAML) ---------------------------------------------------------

STRONG_IDENTIFICATION = "strong identification"


class StrongIdentificationRefused(Exception):
    """A login with strong identification that must not go through; the message is for the person."""


@transaction.atomic
def claim_saml_messages(message_ids: Iterable[str], expires_at: datetime.datetime) -> None:
    """Record that these response and assertion ids have been used, once and only once.

    A second use of any of them is a replayed response: StrongIdentificationRefused. The
    unique constraint decides, so two workers given the same response at once cannot both win."""
    now = timezone.now()
    UsedSamlMessage.objects.filter(expires_at__lt=now).delete()
    rows = [UsedSamlMessage(message_id=message_id, expires_at=expires_at)
            for message_id in dict.fromkeys(message_ids) if message_id]
    try:
        with transaction.atomic():
            UsedSamlMessage.objects.bulk_create(rows)
    except IntegrityError:
        raise StrongIdentificationRefused(_("This sign-in has already been used. Please sign in again.")) from None


@transaction.atomic
def sign_in_with_strong_identification(identity, request: HttpRequest | None = None) -> User:
    """The resident whom the identity provider vouched for, created on their first visit.

    `identity` is an aspa.identity.saml.attributes.StrongIdentity. The customer record is
    found by the henkilötunnus (or created), its names follow the population register's, and
    the login is written to the audit log. Staff accounts never sign in this way."""

    try:
        national_id = normalise_national_id(identity.national_id)
    except InvalidInput:
        raise StrongIdentificationRefused(
            _("The identification service did not give a valid personal identity code.")) from None
    if not identity.last_name:
        raise StrongIdentificationRefused(_("The identification service did not give your name."))

    party = Party.objects.select_for_update().filter(national_id=national_id).first()
    if party is None:
        party = _create_resident_party(identity, national_id, request)
    else:
        _follow_register_names(party, identity, request)
    _add_identified_email(party, identity.email, request)

    user = _resident_user_for(party, identity)
    record(request, user, AuditAction.READ, "party", party.pk, party_id=party.pk, purpose=STRONG_IDENTIFICATION)
    return user


def _create_resident_party(identity, national_id: str, request):
    try:
        # The identity provider does not say which language the person uses: the page's language
        # at the first sign-in is the best guess, and the resident can change it in My details.
        language = (translation.get_language() or "fi")[:2]
        return create_party(None, kind=Party.Kind.PERSON, first_name=identity.first_name,
                            last_name=identity.last_name, national_id=national_id, request=request,
                            language=language if language in ("fi", "sv", "en") else "fi")
    except DuplicateParty as duplicate:
        # The same person signed in twice at the same moment; the other login created the record.
        return Party.objects.get(pk=duplicate.existing_id)


def _follow_register_names(party, identity, request) -> None:
    wanted = {"first_name": " ".join(identity.first_name.split()), "last_name": " ".join(identity.last_name.split())}
    changes = {field: value for field, value in wanted.items() if value and getattr(party, field) != value}
    if changes:
        # No actor: the change comes from the identity provider (the population register), not from a person.
        update_party(None, party, version=party.version, changes=changes, request=request)


def _add_identified_email(party, email: str, request) -> None:
    """Keep the address the identity provider knows when the record has none yet."""
    if not email or party.contact_points.filter(kind=ContactPoint.Kind.EMAIL).exists():
        return
    try:
        with transaction.atomic():
            add_contact_point(None, party, ContactPoint.Kind.EMAIL, {"value": email}, request=request)
    except InvalidInput:
        pass  # A malformed address from the identity provider must not stop the login.


def _resident_user_for(party, identity) -> User:
    user = User.objects.select_for_update().filter(party=party).first()
    if user is None:
        user = User(username=f"resident-{secrets.token_hex(8)}", role=Role.RESIDENT, party=party)
        user.set_unusable_password()
    elif user.role != Role.RESIDENT or not user.is_active:
        raise StrongIdentificationRefused(
            _("This account cannot sign in with strong identification. Contact the customer service centre."))
    user.first_name = party.first_name[:150]
    user.last_name = party.last_name[:150]
    if identity.email and not user.email:
        user.email = identity.email[:254]
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Created by a simultaneous login of the same person.
        user = User.objects.get(party=party)
    return user
