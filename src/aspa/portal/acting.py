"""For whom the signed-in resident acts: the portal's side of it, the choice kept in the session.

Whether the choice still holds is decided by aspa.customers.mandates on every request, against a
mandate that is valid now: a mandate that expires or is revoked while someone is signed in stops
working on their next click, and they are back to acting for themselves."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from aspa.customers import mandates
from aspa.customers.models import Party
from aspa.identity.models import Role

SESSION_KEY = "portal_acting_for"
_CACHE_ATTRIBUTE = "_aspa_acting_party"


def _own_party_id(request: HttpRequest) -> int:
    user = request.user
    if not user.is_authenticated or not user.is_active or user.role != Role.RESIDENT or user.party_id is None:
        raise PermissionDenied
    return user.party_id


def acting_party(request: HttpRequest) -> Party:
    """The party whose errands the resident sees and files now.

    Raises PermissionDenied for anyone but a signed-in resident with a customer record."""
    own_id = _own_party_id(request)
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    chosen = request.session.get(SESSION_KEY)
    chosen_id = chosen if isinstance(chosen, int) else None
    party = mandates.party_acted_for(own_id, chosen_id)
    if chosen_id is not None and party.pk != chosen_id:
        request.session.pop(SESSION_KEY, None)  # expired or revoked: back to acting for oneself
    setattr(request, _CACHE_ATTRIBUTE, party)
    return party


def choices(request: HttpRequest) -> list[Party]:
    """Whom the resident may act for: themselves first, then their organisations by name.
    Empty for most residents, and then the portal shows no choice."""
    return mandates.parties_to_act_for(_own_party_id(request))


def act_for(request: HttpRequest, party_id: int) -> Party:
    """Switch to acting for `party_id`. Raises PermissionDenied without a valid mandate for it."""
    own_id = _own_party_id(request)
    if party_id == own_id:
        request.session.pop(SESSION_KEY, None)
    elif mandates.may_act_for(own_id, party_id):
        request.session[SESSION_KEY] = party_id
    else:
        raise PermissionDenied
    if hasattr(request, _CACHE_ATTRIBUTE):
        delattr(request, _CACHE_ATTRIBUTE)
    return acting_party(request)


def acting_party_or_none(request: HttpRequest) -> Party | None:
    """Whom the resident acts for, or None for a resident the city has no customer record for."""
    try:
        return acting_party(request)
    except PermissionDenied:
        return None
