"""What every change to the register shares: the duplicate check, the version, the audit row,
and collecting every invalid field into one answer."""


from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.audit.operations import record
from aspa.customers.models import Party
from aspa.errors import Conflict, InvalidInput


class DuplicateParty(Conflict):
    """Another party already has this identity code; the error names it so the caller can use it."""

    code = "duplicate"

    def __init__(self, existing: Party, field: str):
        if field == "national_id":
            message = _("A customer with this personal identity code already exists (id %(id)s).")
        else:
            message = _("A customer with this business ID already exists (id %(id)s).")
        message = message % {"id": existing.pk}
        super().__init__(message, code="duplicate", fields={field: [message]})
        self.existing_id = existing.pk

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["error"]["existing_id"] = self.existing_id
        return data


class _Problems:
    """Collects every invalid field so one answer lists them all."""

    def __init__(self) -> None:
        self.fields: dict[str, list] = {}

    def add(self, field: str, message) -> None:
        self.fields.setdefault(field, []).append(message)

    def check(self, normalise, *args, **kwargs):
        try:
            return normalise(*args, **kwargs)
        except InvalidInput as error:
            for field, messages in error.fields.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    self.add(field, message)
            return None

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidInput(self.fields)


def _refuse_duplicates(party: Party) -> None:
    for field in ("national_id", "business_id"):
        value = getattr(party, field)
        if not value:
            continue
        existing = Party.objects.filter(**{field: value}).exclude(pk=party.pk).first()
        if existing is not None:
            raise DuplicateParty(existing, field)


def _save_unless_duplicate(party: Party, **save_options) -> None:
    """Save the party unless another one has its identity code or business ID: DuplicateParty then
    names the other one. Checked before the write for a clear answer, and again when the database's
    unique constraint refuses the row (someone saved the same person between the check and the write)."""
    _refuse_duplicates(party)
    try:
        with transaction.atomic():
            party.save(**save_options)
    except IntegrityError:
        _refuse_duplicates(party)
        raise


def _claim_version(party: Party, version: int) -> None:
    """Move the party to the next version if it is still at `version`.

    The check and the bump are one UPDATE, so two editors who both saw version 3 cannot both
    win, on SQLite or PostgreSQL; the row stays locked until the transaction ends."""
    claimed = Party.objects.filter(pk=party.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        message = _("Someone else changed this customer in the meantime. Reload it and try again.")
        raise Conflict(message, code="stale", fields={"version": [message]})
    party.version = version + 1


def _touch(party: Party) -> None:
    """Any change bumps the version, so an editor holding an older copy is told to reload."""
    Party.objects.filter(pk=party.pk).update(version=F("version") + 1, updated_at=timezone.now())
    party.refresh_from_db(fields=["version", "updated_at"])


def _audit(request, actor, action: str, party: Party, operation: str, *, object_type: str = "party",
           object_id=None) -> None:
    record(request, actor, action, object_type, object_id if object_id is not None else party.pk,
           party_id=party.pk, purpose="" if request is not None else operation)

