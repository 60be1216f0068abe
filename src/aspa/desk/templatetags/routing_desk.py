"""The routing panel of the desk's request page: why the request is where it is (the rule that
fired) and the classifier's ranked suggestions, each applied with one click through the desk's
classify action."""

from django import template

from aspa.identity.access import is_staff
from aspa.requests.models import ServiceRequest
from aspa.requests.operations import ALLOWED_ACTIONS, Action
from aspa.routing import queries

register = template.Library()


def _suggestions(service_request: ServiceRequest) -> list[dict] | None:
    """None when there is no classifier (the panel then says nothing about suggestions)."""
    found = queries.suggestions_to_show(service_request.description, service_request.language,
                                        type=service_request.type.code)
    if found is None:
        return None
    current = service_request.service.code if service_request.service_id else None
    return [{"service": item.service, "department": item.department, "percent": item.percent,
             "current": item.service.code == current} for item in found]


@register.inclusion_tag("desk/requests/_routing_panel.html", takes_context=True)
def routing_panel(context, service_request: ServiceRequest):
    user = context["request"].user
    if not is_staff(user):
        return {"visible": False}
    routed = queries.last_routing(service_request)
    return {
        "visible": True,
        "item": service_request,
        "routed": routed.data if routed is not None else None,
        "suggestions": _suggestions(service_request),
        "may_apply": Action.CLASSIFY in ALLOWED_ACTIONS[service_request.status],
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
