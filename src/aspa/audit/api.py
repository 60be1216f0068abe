from datetime import datetime

from ninja import Router, Schema

from aspa.api.pagination import Page, paginate
from aspa.audit import queries
from aspa.audit.models import AuditEntry

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
    entries = queries.audit_log_for(request.auth, party=party, actor=actor, action=action, since=since,
                                    until=until)
    return paginate(entries, page, page_size, _out)
