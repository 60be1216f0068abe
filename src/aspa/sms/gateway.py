"""The contract between the SMS channel and the gateways that carry its messages.

A gateway is a subclass of `SmsBackend` registered under a name (`@register("twilio")`) by its
integration package (`aspa/integrations/sms/`, registered when its app is ready); the setting
ASPA_SMS_BACKEND names the one in use. The channel knows gateways only through this module, so
it stays below the integrations in the layer map while they plug into it."""

import dataclasses
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """What a gateway is given: the number in E.164 form, the text and Aspa's reference."""

    to: str
    text: str
    reference: uuid.UUID
    language: str


class GatewayError(Exception):
    """The gateway did not take the message; the text is its answer, for the administrator."""


class TemporaryFailure(GatewayError):
    """Unreachable, overloaded, or answering "try again later": the message is tried again."""


class Refused(GatewayError):
    """The gateway said for good that it will not send this message (a number it cannot reach,
    a recipient who has unsubscribed): not tried again."""


class SmsBackend:
    """A gateway. `send` returns the gateway's id of the message or raises a GatewayError."""

    name = ""

    def send(self, message: Outgoing) -> str:
        raise NotImplementedError


_registry: dict[str, type[SmsBackend]] = {}


def register(name: str) -> Callable[[type[SmsBackend]], type[SmsBackend]]:
    def add(backend: type[SmsBackend]) -> type[SmsBackend]:
        backend.name = name
        _registry[name] = backend
        return backend
    return add


def registered() -> list[str]:
    return sorted(_registry)


def backend() -> SmsBackend:
    """The gateway named by ASPA_SMS_BACKEND (read at each use, so tests may change it)."""
    name = settings.SMS_BACKEND
    try:
        return _registry[name]()
    except KeyError:
        raise ImproperlyConfigured(
            f"ASPA_SMS_BACKEND={name!r} is not a registered SMS gateway (registered: {', '.join(registered())})"
        ) from None
