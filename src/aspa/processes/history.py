"""Entries that a process writes into its request's history."""

from django.utils import timezone

from aspa.identity.models import User
from aspa.requests.models import RequestEvent, ServiceRequest


def record_event(service_request: ServiceRequest, kind: str, actor: User | None, data: dict) -> RequestEvent:
    label = "system" if actor is None else (actor.get_full_name() or actor.get_username())[:150]
    return RequestEvent.objects.create(request=service_request, kind=kind, at=timezone.now(), actor=actor,
                                       actor_label=label, channel="", data=data)
