"""Automatic assignment of a team's new requests to one of its members.

Each team chooses (Team.assignment): manual (the request waits unassigned in the team's
queue), round robin (the member after the one who got the last request) or least loaded
(the member with the fewest open requests). Both automatic rules lock the team's row first,
so two requests given to the same team at the same moment are dealt one after the other
and never both to the same member by accident."""

from django.db.models import Count, Q

from aspa.catalogue.models import Team
from aspa.identity.models import Role, User
from aspa.requests.models import OPEN_STATUSES, TeamRotation

# Who can be handed requests: people, not integration clients.
HANDLER_ROLES = (Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR)


def members(team: Team):
    return User.objects.filter(team=team, is_active=True, role__in=HANDLER_ROLES).order_by("id")


def pick_handler(team: Team) -> User | None:
    """The member who should get the team's next request, or None (manual, or nobody in the team).

    Call inside the transaction that assigns the request: the team's row stays locked until it
    commits, and for round robin the choice is remembered in the same transaction."""
    if team.assignment == Team.Assignment.MANUAL:
        return None
    # The lock serialises concurrent assignments to this team (SQLite's IMMEDIATE transactions
    # serialise all writers anyway).
    Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True).get()
    candidates = list(members(team))
    if not candidates:
        return None
    if team.assignment == Team.Assignment.ROUND_ROBIN:
        return _next_in_turn(team, candidates)
    return _least_loaded(candidates)


def _next_in_turn(team: Team, candidates: list[User]) -> User:
    rotation, _created = TeamRotation.objects.get_or_create(team=team)
    chosen = candidates[0]
    if rotation.last_assignee_id is not None:
        # The first member after the last one (by id): members who left or joined keep the order.
        later = [member for member in candidates if member.pk > rotation.last_assignee_id]
        if later:
            chosen = later[0]
    TeamRotation.objects.filter(pk=rotation.pk).update(last_assignee=chosen)
    return chosen


def _least_loaded(candidates: list[User]) -> User:
    loads = dict(
        User.objects.filter(pk__in=[member.pk for member in candidates])
        .annotate(open_requests=Count("assigned_requests", filter=Q(assigned_requests__status__in=OPEN_STATUSES)))
        .values_list("pk", "open_requests")
    )
    # Ties go to the earliest member, so the choice is the same every time for the same loads.
    return min(candidates, key=lambda member: (loads.get(member.pk, 0), member.pk))
