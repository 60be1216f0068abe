"""The portal's form targets take POST only, yet a browser does GET them: the language switch
and a reload both return to the page's own address, which after a refused form (422) is the
form's target. A GET is sent back to the page the form lives on instead of a 405 error page."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse


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
