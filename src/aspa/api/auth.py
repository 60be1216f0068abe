from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from aspa.identity.models import ApiToken, User


class AuthenticatedRequest(HttpRequest):
    """What a handler's request is after authentication: ninja puts the caller in `auth`."""

    auth: User


class BearerToken(HttpBearer):
    """Authorization: Bearer <token> for integrations and staff tools."""

    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user", "user__department")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # Written at most once a minute per token so reads stay reads.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


# Browser sessions (the desk and the portal call the same API) need the CSRF token.
AUTH = [BearerToken(), django_auth]
