"""The REST API under /api/v1/: one NinjaAPI, one router per app, one error shape.

The top of the house: it imports every app's router, and renders the domain's errors
(`aspa.errors`) as JSON. Apps never import it; their routers use the building blocks in `aspa.api`."""

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from aspa.api.auth import AUTH
from aspa.errors import DomainError, Forbidden, InvalidInput, NotFound


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class TextParser(Parser):
    """The default JSON parser, refusing NUL characters: no text field may hold one, and
    PostgreSQL cannot store one (it would answer 500 where SQLite stored it silently)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_nul(data):
            # Raised inside body parsing, so the caller gets 400 "malformed".
            raise ValueError("NUL character in the request body")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        refused = sorted(name for name, value in result.items() if _has_nul(name) or _has_nul(value))
        if refused:
            raise InvalidInput({name.replace("\x00", "") or "query": [_("The text contains a NUL character.")]
                                for name in refused})
        return result


api = NinjaAPI(
    title="Aspa API",
    version="1",
    description=(
        "The REST API of Aspa, a customer service centre platform. Authenticate with "
        "`Authorization: Bearer <token>` (create one with `aspa token create`). Every POST "
        "accepts an `Idempotency-Key` header. Errors are `{\"error\": {\"code\", \"message\", "
        "\"fields\"}}` in the language of `Accept-Language` (fi, sv, en)."
    ),
    auth=AUTH,
    parser=TextParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, error: DomainError):
    return api.create_response(request, error.as_dict(), status=error.status_code)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for problem in exc.errors:
        # loc is like ("body", "payload", "national_id"); the last names the field.
        location = [str(part) for part in problem.get("loc", []) if part not in ("body", "payload", "query", "path")]
        name = ".".join(location) or "body"
        fields.setdefault(name, []).append(_translate_validation(problem))
    error = DomainError(_("Some fields are not valid."), code="invalid", fields=fields, status=422)
    return _error(request, error)


def _translate_validation(problem: dict) -> str:
    kind = problem.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind in {"json_invalid", "model_attributes_type"}:
        return _("The request body is not valid JSON.")
    if kind.startswith("string_too_long"):
        return _("The text is too long.")
    if kind in {"int_parsing", "int_type"}:
        return _("Enter a whole number.")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"datetime_parsing", "datetime_from_date_parsing", "datetime_type"}:
        return _("Enter a date and time in ISO 8601 form.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"literal_error", "enum"}:
        return _("Not one of the allowed values.")
    return _("This value is not valid.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    error = DomainError(_("Authentication required: a valid, unrevoked token or a signed-in session."),
                        code="unauthorized", status=401)
    return _error(request, error)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400:
        error = DomainError(_("The request body is not valid JSON."), code="malformed", status=400)
    else:
        error = DomainError(str(exc), code="error", status=exc.status_code)
    return _error(request, error)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, NotFound())


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def out_of_range(request, exc):
    # A number too large for the database (SQLite raises OverflowError, PostgreSQL DataError)
    # is bad input, not a server error. The operation's transaction has already rolled back.
    error = DomainError(_("A value is out of range or cannot be stored."), code="invalid", status=422)
    return _error(request, error)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, Forbidden())


def register_routers() -> None:
    from aspa.audit.api import router as audit_router
    from aspa.catalogue.api import router as catalogue_router
    from aspa.contacts.api import router as contacts_router
    from aspa.customers.api import router as customers_router
    from aspa.eforms.api import router as forms_router
    from aspa.integrations.sms.api import router as sms_router
    from aspa.knowledge.api import router as knowledge_router
    from aspa.outbox.api import router as events_router
    from aspa.processes.api import router as processes_router
    from aspa.requests.api import router as requests_router
    from aspa.routing.api import router as routing_router
    from aspa.telephony.api import router as telephony_router

    api.add_router("/", catalogue_router)
    api.add_router("/parties", customers_router)
    api.add_router("/requests", requests_router)
    api.add_router("/contacts", contacts_router)
    api.add_router("/audit", audit_router)
    api.add_router("/knowledge", knowledge_router)
    api.add_router("/routing", routing_router)
    api.add_router("/forms", forms_router)
    api.add_router("/processes", processes_router)
    api.add_router("/events", events_router)
    api.add_router("/sms", sms_router)
    api.add_router("/telephony", telephony_router)


def add_fallback() -> None:
    """Any other path under /api/v1/ (a negative id, a typo) gets the API's JSON 404, not
    the HTML page of the site. Added last, so it matches only what no router did."""
    fallback = Router(tags=["fallback"])

    @fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False,
                            auth=None)
    def no_such_endpoint(request, rest: str):
        raise NotFound(_("No such endpoint."))

    api.add_router("/", fallback)


register_routers()
add_fallback()
