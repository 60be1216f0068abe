"""Aspa as a SAML 2.0 service provider: start a login, accept the identity provider's answer,
and log out on both sides.

The requests this browser has outstanding are kept in a signed cookie of their own, not in
the session: the identity provider POSTs its answer from another site, and a SameSite=Lax
session cookie is not sent with such a POST."""

import calendar
import datetime
import logging

from defusedxml import ElementTree
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.ident import code as encode_name_id
from saml2.ident import decode as decode_name_id
from saml2.s_utils import UnknownPrincipal, UnsupportedBinding
from saml2.saml import NameID
from saml2.sigver import verify_redirect_signature
from saml2.time_util import str_to_time

from aspa.identity.operations import StrongIdentificationRefused, claim_saml_messages
from aspa.integrations.suomifi import config
from aspa.integrations.suomifi.attributes import StrongIdentity, identity_from, values_by_name

logger = logging.getLogger(__name__)

OUTSTANDING_COOKIE = "aspa_saml"
OUTSTANDING_SALT = "aspa.integrations.suomifi.outstanding"
# How long a started login may take at the identity provider.
OUTSTANDING_SECONDS = 15 * 60
# At most this many logins started in parallel tabs are remembered.
OUTSTANDING_LIMIT = 5
SESSION_KEY = "aspa_saml"


def safe_next(request: HttpRequest, next_url: str | None) -> str:
    """`next_url` if it is a path on this site, else "/": no open redirects."""
    if not next_url or not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
        return "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/"
    return next_url


# --- login --------------------------------------------------------------------------------


def start_login(request: HttpRequest, next_url: str, idp_entity_id: str = "") -> tuple[str, dict]:
    """(where to send the browser, the outstanding requests to remember) for a new AuthnRequest.

    The request is signed and sent with the HTTP-Redirect binding, as Suomi.fi expects."""
    client = config.service_provider(request)
    idp = _choose_idp(client, idp_entity_id)
    request_id, http_info = client.prepare_for_authenticate(
        entityid=idp, relay_state="", binding=BINDING_HTTP_REDIRECT, sign=True,
        sigalg=config.SIGNING_ALGORITHM, digest_alg=config.DIGEST_ALGORITHM,
    )
    location = dict(http_info["headers"])["Location"]
    outstanding = read_outstanding(request)
    outstanding[request_id] = safe_next(request, next_url)
    # Keep the newest few (dicts keep insertion order).
    outstanding = dict(list(outstanding.items())[-OUTSTANDING_LIMIT:])
    return location, outstanding


def _choose_idp(client, wanted: str) -> str:
    providers = list(client.metadata.identity_providers())
    if not providers:
        raise StrongIdentificationRefused(_("Strong identification is not configured in this service."))
    if wanted:
        if wanted not in providers:
            raise StrongIdentificationRefused(_("Unknown identification service."))
        return wanted
    # The configured provider (Suomi.fi) before the built-in test provider.
    test_idp = [entity for entity in providers if entity.endswith(config.TEST_IDP_METADATA_PATH)]
    real = [entity for entity in providers if entity not in test_idp]
    return (real or test_idp)[0]


def read_outstanding(request: HttpRequest) -> dict[str, str]:
    """Request id → the page to return to, for the logins this browser has started."""
    value = request.COOKIES.get(OUTSTANDING_COOKIE)
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=OUTSTANDING_SALT, max_age=OUTSTANDING_SECONDS)
    except signing.BadSignature:
        return {}
    return {str(key): str(value) for key, value in data.items()} if isinstance(data, dict) else {}


def remember_outstanding(response: HttpResponse, request: HttpRequest, outstanding: dict[str, str]) -> None:
    if not outstanding:
        response.delete_cookie(OUTSTANDING_COOKIE, path="/saml/")
        return
    secure = request.is_secure() or settings.SESSION_COOKIE_SECURE
    response.set_cookie(
        OUTSTANDING_COOKIE, signing.dumps(outstanding, salt=OUTSTANDING_SALT),
        max_age=OUTSTANDING_SECONDS, path="/saml/", httponly=True, secure=secure,
        # SameSite=None lets the identity provider's cross-site POST carry it; browsers accept
        # that only on secure cookies, and without TLS (the demo) the test IdP is same-site anyway.
        samesite="None" if secure else "Lax",
    )


def accept_response(request: HttpRequest) -> tuple[StrongIdentity, str, dict[str, str]]:
    """The person a posted SAMLResponse vouches for, the page to return to, and the requests
    still outstanding (the answered one is used up).

    Refused (StrongIdentificationRefused) unless the assertion is signed by a trusted identity
    provider with a key from its metadata, is meant for us, is within its validity, answers a
    request this browser started, and has not been used before."""
    encoded = request.POST.get("SAMLResponse", "")
    if not encoded:
        raise StrongIdentificationRefused(_("The identification service sent no answer."))
    outstanding = read_outstanding(request)
    if not outstanding:
        raise StrongIdentificationRefused(
            _("This sign-in was not started here or it took too long. Please sign in again."))
    client = config.service_provider(request)
    try:
        response = client.parse_authn_request_response(encoded, BINDING_HTTP_POST, outstanding=outstanding)
    except Exception as error:  # pysaml2 signals every kind of invalid response by raising.
        logger.warning("SAML response refused: %s: %s", type(error).__name__, error)
        raise StrongIdentificationRefused(_("The answer from the identification service could not be "
                                            "verified. Please sign in again.")) from None
    if response is None or response.assertion is None:
        raise StrongIdentificationRefused(_("The answer from the identification service could not be "
                                            "verified. Please sign in again."))
    if response.in_response_to not in outstanding:
        raise StrongIdentificationRefused(
            _("This sign-in was not started here or it took too long. Please sign in again."))

    assertion = response.assertion
    try:
        claim_saml_messages([f"response:{response.response.id}", f"assertion:{assertion.id}"],
                            _replay_window_end(response))
    except StrongIdentificationRefused:
        logger.warning("SAML response refused: replay of response %s", response.response.id)
        raise
    fields = identity_from(values_by_name(assertion))
    session_indexes = [statement.session_index for statement in assertion.authn_statement or []
                       if statement.session_index]
    identity = StrongIdentity(
        **fields,
        idp_entity_id=response.issuer(),
        name_id=encode_name_id(response.name_id) if response.name_id else "",
        session_index=session_indexes[0] if session_indexes else "",
    )
    next_url = outstanding.pop(response.in_response_to)
    return identity, next_url, outstanding


def _replay_window_end(response) -> datetime.datetime:
    """Until when the ids must be remembered: as long as any part of the response is valid."""
    moments = []
    assertion = response.assertion
    if assertion.conditions is not None and assertion.conditions.not_on_or_after:
        moments.append(assertion.conditions.not_on_or_after)
    subject = assertion.subject
    for confirmation in (subject.subject_confirmation if subject is not None else None) or []:
        data = confirmation.subject_confirmation_data
        if data is not None and data.not_on_or_after:
            moments.append(data.not_on_or_after)
    skew = datetime.timedelta(seconds=config.CLOCK_SKEW_SECONDS)
    if not moments:
        return timezone.now() + datetime.timedelta(days=1)
    latest = max(datetime.datetime.fromtimestamp(_timestamp(moment), tz=datetime.UTC) for moment in moments)
    return latest + skew


def _timestamp(moment: str) -> float:
    return calendar.timegm(str_to_time(moment))


def remember_login(request: HttpRequest, identity: StrongIdentity) -> None:
    """What single logout will need later, kept in the (new) session."""
    request.session[SESSION_KEY] = {
        "idp": identity.idp_entity_id,
        "name_id": identity.name_id,
        "session_index": identity.session_index,
        "home_municipality": identity.home_municipality,
    }


# --- logout -------------------------------------------------------------------------------


def start_logout(request: HttpRequest, login: dict) -> str | None:
    """Where to send the browser to end the session at the identity provider too, or None
    when the provider has no single logout (the local session is ended either way)."""
    client = config.service_provider(request)
    idp = login.get("idp", "")
    try:
        destinations = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
    except Exception:  # An identity provider no longer in the metadata.
        return None
    if not destinations or not login.get("name_id"):
        return None
    destination = destinations[0]["location"]
    _request_id, logout_request = client.create_logout_request(
        destination, idp, name_id=decode_name_id(login["name_id"]),
        session_indexes=[login["session_index"]] if login.get("session_index") else None,
        sign=False,
    )
    http_info = client.apply_binding(BINDING_HTTP_REDIRECT, str(logout_request), destination,
                                     relay_state="", sign=True, sigalg=config.SIGNING_ALGORITHM)
    return dict(http_info["headers"])["Location"]


def verify_redirect(request: HttpRequest, kind: str) -> str:
    """The issuer of a SAMLRequest/SAMLResponse sent with the HTTP-Redirect binding, after its
    query signature was checked against that issuer's keys in the metadata."""
    client = config.service_provider(request)
    message = {name: request.GET[name] for name in (kind, "RelayState", "SigAlg", "Signature") if name in request.GET}
    if "Signature" not in message or "SigAlg" not in message:
        raise StrongIdentificationRefused(_("The logout message was not signed."))
    xml = client.unravel(message[kind], BINDING_HTTP_REDIRECT, kind)
    issuer = _issuer_of(xml)
    certificates = client.metadata.certs(issuer, "idpsso", "signing") if issuer else []
    try:
        verified = any(verify_redirect_signature(message, client.sec.sec_backend, certificate)
                       for _name, certificate in certificates)
    except Exception:
        verified = False
    if not verified:
        raise StrongIdentificationRefused(_("The logout message could not be verified."))
    return issuer


def _issuer_of(xml: str) -> str:
    root = ElementTree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    issuer = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
    return (issuer.text or "").strip() if issuer is not None else ""


def answer_logout_request(request: HttpRequest) -> tuple[str, bool]:
    """(where to send the answer, whether the request names this session's person) for an
    identity provider's LogoutRequest arriving by HTTP-Redirect."""
    verify_redirect(request, "SAMLRequest")
    client = config.service_provider(request)
    parsed = client.parse_logout_request(request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT)
    logout_request = parsed.message
    login = request.session.get(SESSION_KEY) or {}
    names_this_session = bool(
        login.get("name_id") and logout_request.name_id is not None
        and _same_name_id(decode_name_id(login["name_id"]), logout_request.name_id)
    )
    try:
        response = client.create_logout_response(logout_request, [BINDING_HTTP_REDIRECT], sign=False)
        destination = client.metadata.single_logout_service(
            logout_request.issuer.text, BINDING_HTTP_REDIRECT, "idpsso")[0]["location"]
    except (UnknownPrincipal, UnsupportedBinding, IndexError, KeyError):
        raise StrongIdentificationRefused(_("The logout message could not be verified.")) from None
    http_info = client.apply_binding(BINDING_HTTP_REDIRECT, str(response), destination,
                                     relay_state=request.GET.get("RelayState", ""), response=True,
                                     sign=True, sigalg=config.SIGNING_ALGORITHM)
    return dict(http_info["headers"])["Location"], names_this_session


def _same_name_id(ours: NameID, theirs: NameID) -> bool:
    return (ours.text or "").strip() == (theirs.text or "").strip()
