import datetime
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
def resident_user_for(party, *, email: str = "") -> User:
    """The resident's own account for their customer record, created on their first sign-in.

    Staff accounts never sign in this way: StrongIdentificationRefused."""
    user = User.objects.select_for_update().filter(party=party).first()
    if user is None:
        user = User(username=f"resident-{secrets.token_hex(8)}", role=Role.RESIDENT, party=party)
        user.set_unusable_password()
    elif user.role != Role.RESIDENT or not user.is_active:
        raise StrongIdentificationRefused(
            _("This account cannot sign in with strong identification. Contact the customer service centre."))
    user.first_name = party.first_name[:150]
    user.last_name = party.last_name[:150]
    if email and not user.email:
        user.email = email[:254]
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Created by a simultaneous login of the same person.
        user = User.objects.get(party=party)
    return user
