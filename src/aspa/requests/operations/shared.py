"""What every change to a request shares: the status rules (which action is allowed in which
status), the version lock, the history entry, who may act, and the checks of common input."""

import datetime
from enum import StrEnum

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.catalogue.queries import by_code
from aspa.customers import mandates
from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.access import STAFF, is_staff
from aspa.identity.models import Role, User
from aspa.requests.models import RequestEvent, ServiceRequest, Status

LANGUAGE_CODES = ("fi", "sv", "en")
MAX_TEXT = 20_000


class Action(StrEnum):
    CLASSIFY = "classify"
    TAKE = "take"
    ASSIGN = "assign"
    REQUEST_INFORMATION = "request_information"
    PROVIDE_INFORMATION = "provide_information"
    FORWARD = "forward"
    REDIRECT = "redirect"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    EDIT = "edit"  # description, language, contact details


A = Action
# What may be done to a request in each status. Anything else is refused with 409.
ALLOWED_ACTIONS: dict[str, frozenset[Action]] = {
    Status.RECEIVED: frozenset({A.CLASSIFY, A.TAKE, A.ASSIGN, A.REQUEST_INFORMATION, A.FORWARD,
                                A.REDIRECT, A.RESOLVE, A.EDIT}),
    Status.IN_PROGRESS: frozenset({A.CLASSIFY, A.ASSIGN, A.REQUEST_INFORMATION, A.FORWARD,
                                   A.REDIRECT, A.RESOLVE, A.EDIT}),
    # Waiting for the customer: the clock is stopped until the answer comes (or staff resume).
    Status.WAITING: frozenset({A.CLASSIFY, A.ASSIGN, A.PROVIDE_INFORMATION, A.EDIT}),
    # Forwarded to an expert or another organisation; the centre keeps following it.
    Status.FORWARDED: frozenset({A.CLASSIFY, A.TAKE, A.ASSIGN, A.REQUEST_INFORMATION, A.FORWARD,
                                 A.REDIRECT, A.RESOLVE, A.EDIT}),
    # Closed for the centre: the customer was guided elsewhere.
    Status.REDIRECTED: frozenset({A.REOPEN, A.CLOSE}),
    Status.RESOLVED: frozenset({A.REOPEN, A.CLOSE}),
    Status.CLOSED: frozenset({A.REOPEN}),
}


# ----------------------------------------------------------------- helpers


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "system"
    return (actor.get_full_name() or actor.get_username())[:150]


def _record(service_request: ServiceRequest, kind: str, actor: User | None, *, channel: str = "",
            from_status: str = "", to_status: str = "", data: dict | None = None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=service_request, kind=kind, at=timezone.now(), actor=actor, actor_label=_actor_label(actor),
        channel=channel, from_status=from_status, to_status=to_status, data=data or {},
    )


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise Forbidden()


def _is_own_request(actor: User, service_request: ServiceRequest) -> bool:
    """The resident's own request, or one of an organisation they hold a valid mandate for."""
    return (actor.is_authenticated and actor.role == Role.RESIDENT and actor.party_id is not None
            and mandates.may_act_for(actor.party_id, service_request.party_id))


def _require_staff_or_owner(actor: User, service_request: ServiceRequest) -> None:
    if not (is_staff(actor) or _is_own_request(actor, service_request)):
        raise Forbidden()


def _stale() -> Conflict:
    return Conflict(_("Someone else changed this request; reload and try again."), code="stale")


def _lock_at_version(service_request: ServiceRequest, version: int) -> None:
    """Lock the request's row until commit and refuse if it is no longer at `version`: an addition
    that does not change the request itself is still based on what its author saw."""
    current = (ServiceRequest.objects.select_for_update().filter(pk=service_request.pk)
               .values_list("version", flat=True).first())
    if current != version or service_request.version != version:
        raise _stale()


def check_allowed(service_request: ServiceRequest, action: Action) -> None:
    if action not in ALLOWED_ACTIONS[service_request.status]:
        raise Conflict(
            _("The action “%(action)s” is not allowed while the request is %(status)s.")
            % {"action": action.value, "status": Status(service_request.status).label},
            code="illegal_transition",
        )


def _save(service_request: ServiceRequest, version: int, changes: dict) -> None:
    """Write the changes only if nobody else has changed the request since `version` was read."""
    if version != service_request.version:
        raise _stale()
    now = timezone.now()
    updated = ServiceRequest.objects.filter(pk=service_request.pk, version=version).update(
        **changes, updated_at=now, version=F("version") + 1,
    )
    if not updated:
        raise _stale()
    for field, value in changes.items():
        setattr(service_request, field, value)
    service_request.updated_at = now
    service_request.version = version + 1


def _change(service_request: ServiceRequest, actor: User, action: Action, version: int, changes: dict, *,
            channel: str = "", data: dict | None = None) -> RequestEvent:
    """Check the transition, save under the version lock, and write the history event."""
    if version != service_request.version:
        raise _stale()
    check_allowed(service_request, action)
    from_status = service_request.status
    _save(service_request, version, changes)
    return _record(service_request, action.value, actor, channel=channel, from_status=from_status,
                   to_status=service_request.status, data=data)


def _channel_code(channel: str | None) -> str:
    if not channel:
        return ""
    return by_code("channel", channel, "channel").code


def _required_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput({field: [_("This field is required.")]})
    if len(text) > MAX_TEXT:
        raise InvalidInput({field: [_("The text is too long.")]})
    return text


def _code(item) -> str | None:
    return item.code if item is not None else None


def _today() -> datetime.date:
    return timezone.localdate()


def _optional_contact(normalise, value: str, field: str) -> str:
    """An anonymous filer's email or phone, normalised like the customer register's; empty is allowed."""
    return normalise(value, field) if value and value.strip() else ""


def _clean_language(value: str | None, default: str) -> str:
    if not value:
        return default
    if value not in LANGUAGE_CODES:
        raise InvalidInput({"language": [_("Must be one of: %(values)s.") % {"values": ", ".join(LANGUAGE_CODES)}]})
    return value


def _check_service_accepts(service, request_type, channel=None) -> None:
    if service is None:
        return
    # `.all()` reads what the catalogue's cache prefetched (catalogue.queries.by_code).
    if request_type.pk not in {entry.pk for entry in service.request_types.all()}:
        raise InvalidInput({"type": [_("The service %(service)s does not take requests of this type.")
                                     % {"service": service.name}]})
    channels = {entry.pk for entry in service.channels.all()}
    if channel is not None and channels and channel.pk not in channels:
        raise InvalidInput({"channel": [_("The service %(service)s does not take requests through this channel.")
                                        % {"service": service.name}]})


def _check_product(product, service) -> None:
    if product is not None and service is not None and product.service_id != service.pk:
        raise InvalidInput({"product": [_("The product does not belong to the service.")]})


def _staff_user(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, is_active=True, role__in=STAFF).select_related("department", "team").first()
    if found is None:
        raise InvalidInput({field: [_("No active staff member with this id.")]})
    return found
