"""Who may open a portal page and how: the checks that wrap the portal's views.

`resident_required` lets only signed-in residents in. `post_only_else_back_to` is for a form's
target: it takes POST only, yet a browser does GET it, since the language switch and a reload
both return to the page's own address, which after a refused form (422) is the form's target.
A GET is sent back to the page the form lives on instead of a 405 error page."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from aspa.identity.models import Role


def sign_in_url(next_path: str) -> str:
    """Strong identification, then back to `next_path`."""
    return f"{reverse('saml:login')}?{urlencode({'next': next_path})}"


def staff_page(request: HttpRequest) -> HttpResponse:
    """A staff member on a resident's page: pointed to the desk (403)."""
    return render(request, "portal/staff.html", status=403)


def resident_required(view: Callable) -> Callable:
    """Anonymous visitors are asked to identify themselves; staff are pointed to the desk (403).

    Pages with personal data are never cached: a shared computer's back button must not show them."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            if request.path == reverse("portal:home"):
                return render(request, "portal/sign_in.html", {"sign_in_url": sign_in_url(request.path)})
            return redirect(sign_in_url(request.get_full_path()))
        if not user.is_active or user.role != Role.RESIDENT:
            return staff_page(request)
        return view(request, *args, **kwargs)

    return wrapper


def post_only_else_back_to(view_name: str, *kwarg_names: str) -> Callable:
    """POST runs the view; GET and HEAD go to `view_name` (with the named URL arguments); the rest is 405."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return redirect(reverse(view_name, kwargs={name: kwargs[name] for name in kwarg_names}))
            return HttpResponseNotAllowed(["POST"])

        return wrapper

    return decorator
