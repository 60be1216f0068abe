"""The SAML pages: thin views over service_provider.py and test_idp.py.

Those modules and config.py import pysaml2 (about 50 MiB and half a second to a few seconds of
CPU), so each view imports them itself: the URL map imports this module in every web worker, and
most workers never see a sign-in."""

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspa.identity.operations import StrongIdentificationRefused
from aspa.integrations.suomifi.sign_in import sign_in_with_strong_identification

logger = logging.getLogger(__name__)
METADATA_CONTENT_TYPE = "application/samlmetadata+xml"


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "suomifi/refused.html", {"message": message}, status=status)


# --- the service provider ------------------------------------------------------------------


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """Aspa's service provider metadata, to register at Suomi.fi."""
    from aspa.integrations.suomifi import config

    return HttpResponse(config.sp_metadata(request), content_type=METADATA_CONTENT_TYPE)


@require_GET
@never_cache
def login_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider with a signed AuthnRequest."""
    from aspa.integrations.suomifi import service_provider

    try:
        location, outstanding = service_provider.start_login(
            request, request.GET.get("next", "/"), request.GET.get("idp", ""))
    except StrongIdentificationRefused as refusal:
        return _refused(request, str(refusal), status=503)
    response = HttpResponseRedirect(location)
    service_provider.remember_outstanding(response, request, outstanding)
    return response


# The identity provider POSTs from its own site, so there is no CSRF token; the signature, the
# InResponseTo of this browser's outstanding request and the replay check protect this view.
@csrf_exempt
@require_POST
@never_cache
def assertion_consumer(request: HttpRequest) -> HttpResponse:
    from aspa.integrations.suomifi import service_provider

    try:
        identity, next_url, outstanding = service_provider.accept_response(request)
        user = sign_in_with_strong_identification(identity, request)
    except StrongIdentificationRefused as refusal:
        return _refused(request, str(refusal))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    service_provider.remember_login(request, identity)
    response = HttpResponseRedirect(service_provider.safe_next(request, next_url))
    service_provider.remember_outstanding(response, request, outstanding)
    return response


@require_POST
@never_cache
def logout_start(request: HttpRequest) -> HttpResponse:
    """End the session here at once, then at the identity provider when it has single logout."""
    from aspa.integrations.suomifi import service_provider

    saml_login = request.session.get(service_provider.SESSION_KEY) or {}
    logout(request)
    location = service_provider.start_logout(request, saml_login) if saml_login else None
    if location is None:
        messages.info(request, _("You have signed out."))
        return redirect("/")
    return render(request, "suomifi/continue.html", {"location": location})


@require_http_methods(["GET"])
@never_cache
def single_logout(request: HttpRequest) -> HttpResponse:
    """The identity provider's LogoutRequest (it ends our session) or its LogoutResponse."""
    from aspa.integrations.suomifi import service_provider

    try:
        if "SAMLRequest" in request.GET:
            location, names_this_session = service_provider.answer_logout_request(request)
            if names_this_session:
                logout(request)
            return HttpResponseRedirect(location)
        if "SAMLResponse" in request.GET:
            service_provider.verify_redirect(request, "SAMLResponse")
            messages.info(request, _("You have signed out."))
            return redirect("/")
    except StrongIdentificationRefused as refusal:
        return _refused(request, str(refusal), status=400)
    return _refused(request, _("The logout message was missing."), status=400)


# --- the built-in test identity provider ----------------------------------------------------


def _require_test_idp() -> None:
    from aspa.integrations.suomifi import config

    if not config.test_idp_enabled():
        raise Http404


@require_GET
def test_idp_metadata(request: HttpRequest) -> HttpResponse:
    from aspa.integrations.suomifi import config

    _require_test_idp()
    return HttpResponse(config.test_idp_metadata(request), content_type=METADATA_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
@never_cache
def test_idp(request: HttpRequest) -> HttpResponse:
    """GET with an AuthnRequest: choose a test person. POST: answer as that person."""
    from aspa.integrations.suomifi import config, service_provider
    from aspa.integrations.suomifi import test_idp as test_provider

    _require_test_idp()
    if request.method == "POST":
        return _test_idp_answer(request)
    if "SAMLRequest" not in request.GET:
        # Start from Aspa's side so that the answer has a request to answer.
        next_url = service_provider.safe_next(request, request.GET.get("next"))
        site = config.Site.of(request)
        query = urlencode({"idp": site.test_idp_entity_id, "next": next_url})
        return redirect(f"{reverse('saml:login')}?{query}")
    try:
        pending = test_provider.receive_authn_request(request)
    except test_provider.TestIdpError as error:
        logger.warning("Test IdP refused an AuthnRequest: %s", error)
        return _refused(request, _("The sign-in request could not be verified."), status=400)
    request.session[test_provider.PENDING_SESSION_KEY] = pending
    return render(request, "suomifi/test_idp.html", {"persons": test_provider.test_persons()})


def _test_idp_answer(request: HttpRequest) -> HttpResponse:
    from aspa.integrations.suomifi import test_idp as test_provider

    pending = request.session.pop(test_provider.PENDING_SESSION_KEY, None)
    person = test_provider.find_person(request.POST.get("national_id", ""))
    if pending is None:
        return _refused(request, _("No sign-in is waiting. Start the sign-in again."), status=400)
    if person is None:
        return _refused(request, _("Choose one of the test persons."), status=400)
    xml = test_provider.issue_response(request, person, pending)
    return render(request, "suomifi/post.html", {
        "action": pending["destination"],
        "fields": {"SAMLResponse": test_provider.encode(xml), "RelayState": pending["relay_state"]},
    })


@require_GET
@never_cache
def test_idp_logout(request: HttpRequest) -> HttpResponse:
    from aspa.integrations.suomifi import test_idp as test_provider

    _require_test_idp()
    try:
        location = test_provider.answer_logout_request(request)
    except (test_provider.TestIdpError, KeyError) as error:
        logger.warning("Test IdP refused a LogoutRequest: %s", error)
        return _refused(request, _("The logout message could not be verified."), status=400)
    return HttpResponseRedirect(location)
