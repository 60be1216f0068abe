"""For whom the signed-in resident acts: themselves, or an organisation they hold a mandate for.

The choice is kept in the session and checked again on every request against a mandate that is
valid now (aspa.customers.mandates): a mandate that expires or is revoked while someone is signed
in stops working on their next click, and they are back to acting for themselves."""

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
    party = None
    if isinstance(chosen, int) and chosen != own_id:
        party = mandates.organisations_represented_by(own_id).filter(pk=chosen).first()
        if party is None:
            request.session.pop(SESSION_KEY, None)  # expired or revoked: back to acting for oneself
    if party is None:
        party = Party.objects.get(pk=own_id)
    setattr(request, _CACHE_ATTRIBUTE, party)
    return party


def is_acting_for_organisation(request: HttpRequest) -> bool:
    return acting_party(request).pk != request.user.party_id


def choices(request: HttpRequest) -> list[Party]:
    """Whom the resident may act for: themselves first, then their organisations by name.
    Only one entry (themselves) for most residents, and then the portal shows no choice."""
    own_id = _own_party_id(request)
    organisations = list(mandates.organisations_represented_by(own_id))
    if not organisations:
        return []
    return [Party.objects.get(pk=own_id), *organisations]


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
