"""Reading the audit log: supervisors and administrators only."""

import datetime

from django.db.models import QuerySet

from aspa.audit.models import AuditEntry
from aspa.identity.access import require_role
from aspa.identity.models import Role, User

READERS = (Role.SUPERVISOR, Role.ADMIN)


def audit_log_for(user: User, *, party: int | None = None, actor: str | None = None, action: str | None = None,
                  since: datetime.datetime | None = None, until: datetime.datetime | None = None,
                  ) -> QuerySet[AuditEntry]:
    """The entries the filters name, newest first; Forbidden to anyone but the readers."""
    require_role(user, list(READERS))
    entries = AuditEntry.objects.all()
    if party is not None:
        entries = entries.filter(party_id=party)
    if actor:
        entries = entries.filter(actor_label=actor)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__gte=since)
    if until:
        entries = entries.filter(at__lt=until)
    return entries
