from datetime import datetime

from ninja import Router, Schema

from aspa.api.pagination import Page, paginate
from aspa.audit.models import AuditEntry
from aspa.identity.access import require_role
from aspa.identity.models import Role

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    object_type: str
    object_id: str
    party_id: int | None
    purpose: str


def _out(entry: AuditEntry) -> dict:
    return {"id": entry.id, "at": entry.at, "actor": entry.actor_label, "role": entry.actor_role,
            "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
            "party_id": entry.party_id, "purpose": entry.purpose}


@router.get("", response=Page, summary="The audit log (supervisors and administrators)")
def audit_log(request, party: int | None = None, actor: str | None = None, action: str | None = None,
              since: datetime | None = None, until: datetime | None = None,
              page: int = 1, page_size: int = 50):
    require_role(request.auth, [Role.SUPERVISOR, Role.ADMIN])
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
    return paginate(entries, page, page_size, _out)
