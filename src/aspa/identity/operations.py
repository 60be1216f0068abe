import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.api.errors import InvalidInput, NotFound
from aspa.identity.models import ApiToken, Role, User


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
