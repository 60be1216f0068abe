"""The request page's action panel, presence line and status line, rendered by the page
itself so that the request page has one view."""

from django import template

from aspa.desk.views import requests as request_views

register = template.Library()


def _panel(context) -> dict:
    # Built once per page even though the status line and the panel both use it.
    if "_desk_panel" not in context.render_context:
        events = context.get("events") or []
        seen = events[-1]["event"].pk if events else None
        context.render_context["_desk_panel"] = request_views.panel_context(context["request"], context["item"], seen)
    return context.render_context["_desk_panel"]


def _with_page(context, values: dict) -> dict:
    return {**values, "request": context["request"], "csrf_token": context.get("csrf_token"),
            "csp_nonce": context.get("csp_nonce")}


@register.inclusion_tag("desk/requests/_action_status.html", takes_context=True)
def request_action_status(context):
    return _with_page(context, _panel(context))


@register.inclusion_tag("desk/requests/_action_panel.html", takes_context=True)
def request_action_panel(context):
    return _with_page(context, _panel(context))
