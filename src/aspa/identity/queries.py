"""Reads of staff accounts, for the lists pages offer (handlers, forward targets)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from aspa.identity.models import User


def active_staff(roles: Iterable[str], departments: Iterable[int] | None = None) -> QuerySet[User]:
    """Active users of these roles (of these departments, ids, when given), with their department
    and team, by name."""
    found = (User.objects.filter(is_active=True, role__in=list(roles)).select_related("department", "team")
             .order_by("last_name", "first_name", "id"))
    if departments is not None:
        found = found.filter(department_id__in=list(departments))
    return found


def users_by_id(ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(ids))
