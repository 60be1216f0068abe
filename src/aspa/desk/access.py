"""Who may open the desk's pages. Anonymous visitors go to the sign-in page; signed-in users
without the role get 403."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from aspa.desk.queries import DESK_ROLES
from aspa.identity.models import Role

SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)


def desk_user_required(view: Callable) -> Callable:
    """Anonymous visitors go to the sign-in page; signed-in users without a desk role get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}")
        if not user.is_active or user.role not in DESK_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_required(view: Callable) -> Callable:
    """Supervisors and administrators only."""

    @desk_user_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in SUPERVISORS:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
