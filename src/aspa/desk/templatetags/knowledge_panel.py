"""The knowledge base's side panel and its list of used answers, for the desk's pages to include
with one line (the desk does not need to know what they read)."""

from django import template

from aspa.knowledge import queries

register = template.Library()


@register.inclusion_tag("desk/knowledge/_panel.html", takes_context=True)
def knowledge_panel(context, contact=None, service_request=None, targets: str = ""):
    """The panel. `targets`: ids of the text areas "use this answer" writes into, the first by default."""
    request = context["request"]
    if contact is not None:
        uses = queries.uses_on_contact(contact.pk)
    elif service_request is not None:
        uses = queries.uses_on_request(service_request.pk)
    else:
        uses = []
    return {"request": request, "csrf_token": context.get("csrf_token"), "csp_nonce": context.get("csp_nonce"), "contact": contact,
            "service_request": service_request, "targets": targets, "uses": uses,
            "next": request.get_full_path()}


@register.inclusion_tag("desk/knowledge/_used.html")
def knowledge_used(contact=None, service_request=None, heading: bool = True):
    uses = queries.uses_on_contact(contact.pk) if contact is not None else \
        queries.uses_on_request(service_request.pk) if service_request is not None else []
    return {"uses": uses, "heading": heading, "level": 2}
