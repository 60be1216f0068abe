"""Granting and revoking mandates (a person acts for an organisation). Whether a mandate holds
now is answered by `aspa.customers.mandates`."""


from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.audit.models import AuditAction
from aspa.customers.models import Mandate, Party
from aspa.customers.operations.shared import _audit, _Problems


def _check_mandate(mandate: Mandate) -> None:
    problems = _Problems()
    if mandate.person.kind != Party.Kind.PERSON:
        problems.add("person", _("A mandate is held by a person."))
    if mandate.organisation.kind != Party.Kind.ORGANISATION:
        problems.add("organisation", _("A mandate is given by an organisation."))
    if mandate.valid_until is not None and mandate.valid_until < mandate.valid_from:
        problems.add("valid_until", _("The end date cannot be before the start date."))
    problems.raise_if_any()


@transaction.atomic
def save_mandate_from_admin(actor, mandate: Mandate, *, created: bool,
                            request: HttpRequest | None = None) -> Mandate:
    """Grant or change a mandate. Who granted it is the staff member who first saved it."""
    _check_mandate(mandate)
    if created:
        mandate.granted_by = actor
    mandate.save()
    _audit(request, actor, AuditAction.CREATE if created else AuditAction.UPDATE, mandate.person, "admin",
           object_type="mandate", object_id=mandate.pk)
    return mandate


@transaction.atomic
def revoke_mandate(actor, mandate: Mandate, *, request: HttpRequest | None = None) -> Mandate:
    """End a mandate now. The row stays, so who could act for whom and when can still be told."""
    revoked = Mandate.objects.filter(pk=mandate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor)
    mandate.refresh_from_db(fields=["revoked_at", "revoked_by"])
    if revoked:
        _audit(request, actor, AuditAction.UPDATE, mandate.person, "revoke_mandate",
               object_type="mandate", object_id=mandate.pk)
    return mandate
