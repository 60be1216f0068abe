"""{% acting_organisation as organisation %}: the organisation the resident acts for, or None.

Every portal page says when the resident acts for an organisation, also the pages of other
parts of the portal, so the check lives in the template rather than in each view's context."""

from django import template

from aspa.customers.models import Party
from aspa.identity.models import Role
from aspa.portal import acting

register = template.Library()


@register.simple_tag(takes_context=True)
def acting_organisation(context) -> Party | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.RESIDENT or user.party_id is None:
        return None
    if acting.SESSION_KEY not in request.session:
        return None  # acting for themselves: no question to the database
    party = acting.acting_party(request)
    return party if party.pk != user.party_id else None
