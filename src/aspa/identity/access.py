"""Who may do what. Every API handler and view asks these before touching an object."""

from collections.abc import Iterable

from aspa.errors import Forbidden
from aspa.identity.models import Role, User

STAFF = (Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION)
# Staff who see every customer and request, not only their own department's.
CENTRE_WIDE = (Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION)
# Roles that may see a henkilötunnus whole and a non-disclosed address.
SEES_FULL_IDENTITY = (Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION)


def require_role(user: User, roles: Iterable[str]) -> None:
    if not user.is_authenticated or not user.is_active or user.role not in set(roles):
        raise Forbidden()


def is_staff(user: User) -> bool:
    return user.is_authenticated and user.role in STAFF


def mask_national_id(national_id: str | None) -> str | None:
    """Show the birth date part only: 010190-123A → 010190-****."""
    if not national_id:
        return national_id
    return national_id[:7] + "****"
