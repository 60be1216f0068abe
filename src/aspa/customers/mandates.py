"""Who may act for which organisation: the one place that answers it.

Today the answer is the city's own list of mandates (Mandate, kept in the admin). A national
mandate service (Suomi.fi-valtuudet) plugs in here and nowhere else: the portal, the request
queries and the request operations all ask these functions. A mandate counts on the days from
`valid_from` to `valid_until` inclusive and stops the moment it is revoked."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from aspa.customers.models import Mandate, Party


def valid_mandates(person_id: int | None, *, on: datetime.date | None = None) -> QuerySet[Mandate]:
    """The mandates `person_id` holds today (or on the day given)."""
    if person_id is None:
        return Mandate.objects.none()
    day = on or timezone.localdate()
    return Mandate.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        person_id=person_id, valid_from__lte=day, revoked_at__isnull=True,
        organisation__kind=Party.Kind.ORGANISATION,
    )


def organisations_represented_by(person_id: int | None) -> QuerySet[Party]:
    """The organisations the person may act for now, by name."""
    return Party.objects.filter(pk__in=valid_mandates(person_id).values("organisation_id")).order_by("search_name", "id")


def represented_party_ids(person_id: int | None):
    """A subquery of the party ids the person may act for: themselves and their organisations.
    Usable inside a filter (`party_id__in=...`) without an extra query."""
    return Party.objects.filter(Q(pk=person_id) | Q(pk__in=valid_mandates(person_id).values("organisation_id"))
                                ).values("pk")


def may_act_for(person_id: int | None, party_id: int | None) -> bool:
    """True for the person themselves and for an organisation they hold a valid mandate for."""
    if person_id is None or party_id is None:
        return False
    return party_id == person_id or valid_mandates(person_id).filter(organisation_id=party_id).exists()


def party_acted_for(person_id: int, chosen_id: int | None) -> Party:
    """Whom the person acts for, having chosen `chosen_id`: that organisation while they hold a
    valid mandate for it, otherwise (no choice, their own id, an expired or revoked mandate)
    themselves."""
    if chosen_id is not None and chosen_id != person_id:
        organisation = organisations_represented_by(person_id).filter(pk=chosen_id).first()
        if organisation is not None:
            return organisation
    return Party.objects.get(pk=person_id)


def parties_to_act_for(person_id: int) -> list[Party]:
    """Whom the person may act for: themselves first, then their organisations by name. Empty
    for most people, who represent no organisation and so have nothing to choose."""
    organisations = list(organisations_represented_by(person_id))
    if not organisations:
        return []
    return [Party.objects.get(pk=person_id), *organisations]
