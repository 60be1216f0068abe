from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from aspa.identity.models import ApiToken, User

# How often a token's last use is written: reads stay reads, and the admin still sees which
# tokens are in use to the minute.
LAST_USED_PRECISION_SECONDS = 60


class AuthenticatedRequest(HttpRequest):
    """What a handler's request is after authentication: ninja puts the caller in `auth`."""

    auth: User


class BearerToken(HttpBearer):
    """Authorization: Bearer <token> for integrations and staff tools.

    One indexed query per request (the token by its hash, with its user and the user's department,
    refused when revoked or the user is inactive), so a revoked token is refused at its next
    request; nothing is kept between requests. `get` rather than `first`: the hash is unique, and
    `first` would make Django add an ORDER BY to compile and run for nothing."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            found = ApiToken.objects.select_related("user", "user__department").get(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
        except ApiToken.DoesNotExist:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


# Browser sessions (the desk and the portal call the same API) need the CSRF token.
AUTH = [BearerToken(), django_auth]
