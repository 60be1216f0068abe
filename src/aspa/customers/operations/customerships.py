"""Customerships (asiakkuus): that a party uses a service since a date, and until when."""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.audit.models import AuditAction
from aspa.catalogue import queries as catalogue
from aspa.customers.models import Customership, Party
from aspa.customers.operations.shared import _audit, _Problems
from aspa.errors import Conflict, InvalidInput


@transaction.atomic
def record_customership(actor, party: Party, *, service: str, started_on: datetime.date | None = None,
                        status: str = Customership.Status.ACTIVE, ended_on: datetime.date | None = None,
                        note: str = "", request: HttpRequest | None = None) -> Customership:
    """Record that a party uses a service (by catalogue code) since a date, today by default."""
    found_service = catalogue.by_code("service", service, "service")
    if found_service is None:
        raise InvalidInput({"service": [_("This field is required.")]})
    customership = Customership(party=party, service=found_service,
                                started_on=started_on or timezone.localdate(), note=note or "")
    _apply_customership_changes(customership, {"status": status, "ended_on": ended_on})
    if Customership.objects.filter(party=party, service=found_service,
                                   started_on=customership.started_on).exists():
        raise Conflict(_("This customership is already recorded."), code="duplicate",
                       fields={"started_on": [_("This customership is already recorded.")]})
    customership.save()
    _audit(request, actor, AuditAction.CREATE, party, "record_customership",
           object_type="customership", object_id=customership.pk)
    return customership


@transaction.atomic
def update_customership(actor, customership: Customership, *, changes: Mapping,
                        request: HttpRequest | None = None) -> Customership:
    """Change the status, dates or note of a customership."""
    unknown = set(changes) - {"status", "started_on", "ended_on", "note"}
    if unknown:
        raise InvalidInput({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    _apply_customership_changes(customership, changes)
    try:
        with transaction.atomic():
            customership.save()
    except IntegrityError:
        raise Conflict(_("This customership is already recorded."), code="duplicate",
                       fields={"started_on": [_("This customership is already recorded.")]}) from None
    _audit(request, actor, AuditAction.UPDATE, customership.party, "update_customership",
           object_type="customership", object_id=customership.pk)
    return customership


def end_customership(actor, customership: Customership, ended_on: datetime.date | None = None,
                     request: HttpRequest | None = None) -> Customership:
    """The party no longer uses the service, from `ended_on` (today by default)."""
    return update_customership(actor, customership, request=request, changes={
        "status": Customership.Status.ENDED, "ended_on": ended_on or timezone.localdate()})


def _apply_customership_changes(customership: Customership, changes: Mapping) -> None:
    problems = _Problems()
    if "status" in changes:
        if changes["status"] not in Customership.Status.values:
            problems.add("status", _("Not one of the allowed values."))
        else:
            customership.status = changes["status"]
    if changes.get("started_on"):
        customership.started_on = changes["started_on"]
    if "ended_on" in changes:
        customership.ended_on = changes["ended_on"]
    if "note" in changes:
        note = changes["note"] or ""
        if len(note) > 200:
            problems.add("note", _("The text is too long."))
        customership.note = note
    if customership.status == Customership.Status.ENDED and customership.ended_on is None:
        customership.ended_on = timezone.localdate()
    if customership.ended_on and customership.started_on and customership.ended_on < customership.started_on:
        problems.add("ended_on", _("The end date cannot be before the start date."))
    problems.raise_if_any()


@transaction.atomic
def save_customership_from_admin(actor, customership: Customership, *, created: bool,
                                 request: HttpRequest | None = None) -> Customership:
    _apply_customership_changes(customership, {})
    customership.save()
    _audit(request, actor, AuditAction.CREATE if created else AuditAction.UPDATE, customership.party, "admin",
           object_type="customership", object_id=customership.pk)
    return customership

