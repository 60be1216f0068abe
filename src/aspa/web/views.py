"""Staff sign-in and sign-out. The pages' frame itself is templates/web/base.html."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from aspa.identity.access import is_staff
from aspa.identity.models import Role


class LoginView(auth_views.LoginView):
    """Django's sign-in with our page; django-axes locks out password guessing around it.

    After signing in the user's saved language becomes the page language, kept in the
    language cookie so that it also holds after the session ends."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("desk:home")

    def get_success_url(self) -> str:
        # Residents have no desk: wherever they were headed, their place is the e-services.
        if self.request.user.is_authenticated and self.request.user.role == Role.RESIDENT:
            return reverse("portal:home")
        return super().get_success_url()

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language,
                max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class LogoutView(auth_views.LogoutView):
    """Sign-out is a POST (a link could be followed by a prefetcher); back to the sign-in page."""

    def get_success_url(self) -> str:
        return reverse("web:login")


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers when a username is locked: our page, status 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(request, "web/locked_out.html", context, status=429)


def front_door(request) -> HttpResponse:
    """The site's address: staff go to their desk, everyone else (residents, visitors, and whoever
    just signed out) to the e-services."""
    if request.user.is_authenticated and is_staff(request.user):
        return redirect("desk:home")
    return redirect("portal:home")
