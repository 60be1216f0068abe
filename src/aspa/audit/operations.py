"""Writing the audit log. Every read of personal data by staff comes through here."""

from collections.abc import Iterable

from django.http import HttpRequest

from aspa.audit.models import AuditAction, AuditEntry
from aspa.client_address import client_address


def record(request: HttpRequest | None, user, action: str, object_type: str, object_id, *,
           party_id: int | None = None, purpose: str = "") -> None:
    record_many(request, user, action, object_type, [(object_id, party_id)], purpose=purpose)


def record_many(request: HttpRequest | None, user, action: str, object_type: str,
                objects: Iterable[tuple[object, int | None]], *, purpose: str = "") -> None:
    """One row per object: a list of twenty customers read is twenty rows."""
    if purpose == "" and request is not None:
        purpose = f"{request.method} {request.path}"[:200]
    actor = user if user is not None and user.is_authenticated else None
    rows = [
        AuditEntry(
            actor=actor,
            actor_label=actor.get_username() if actor else "anonymous",
            actor_role=getattr(actor, "role", ""),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            party_id=party_id,
            purpose=purpose,
            ip_address=client_address(request) if request is not None else None,
        )
        for object_id, party_id in objects
    ]
    AuditEntry.objects.bulk_create(rows)


def record_party_reads(request: HttpRequest | None, user, party_ids: Iterable[int], purpose: str = "") -> None:
    record_many(request, user, AuditAction.READ, "party", [(pid, pid) for pid in party_ids], purpose=purpose)
