"""Messages (a note between staff, or a message the customer sees and is emailed about) and
attachments, each with its own history entry."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from aspa.errors import InvalidInput
from aspa.identity.access import is_staff
from aspa.identity.models import User
from aspa.requests import notifications
from aspa.requests.attachments import check_upload
from aspa.requests.models import Attachment, Message, ServiceRequest
from aspa.requests.operations.shared import (
    _actor_label,
    _channel_code,
    _lock_at_version,
    _record,
    _require_staff_or_owner,
    _required_text,
)


def _write_message(service_request: ServiceRequest, actor: User | None, body: str, *, channel: str,
                   visibility: str = Message.Visibility.CUSTOMER, from_customer: bool = False) -> Message:
    """The message and its own `message_added` history entry. An action that sends a message
    (asking the customer, their answer, a redirect's word) has already written its event, which
    is immutable, so the message id goes into this follow-up entry instead of an edit."""
    message = Message.objects.create(request=service_request, visibility=visibility, body=body, author=actor,
                                     author_label=_actor_label(actor), from_customer=from_customer)
    _record(service_request, "message_added", actor, channel=channel,
            data={"message_id": message.pk, "visibility": visibility, "from_customer": from_customer})
    return message


@transaction.atomic
def add_message(actor: User, service_request: ServiceRequest, *, body: str, visibility: str | None = None,
                channel: str = "", version: int | None = None) -> Message:
    """A note between staff, or a message the customer sees (and is emailed about).

    With `version`, the message is refused (409 stale) if the request changed since it was read."""
    _require_staff_or_owner(actor, service_request)
    if version is not None:
        _lock_at_version(service_request, version)
    body = _required_text(body, "body")
    from_customer = not is_staff(actor)
    if from_customer:
        visibility = Message.Visibility.CUSTOMER
    elif visibility is None:
        visibility = Message.Visibility.INTERNAL
    elif visibility not in Message.Visibility.values:
        raise InvalidInput({"visibility": [_("Must be one of: %(values)s.")
                                           % {"values": ", ".join(Message.Visibility.values)}]})
    message = _write_message(service_request, actor, body, channel=_channel_code(channel), visibility=visibility,
                             from_customer=from_customer)
    if visibility == Message.Visibility.CUSTOMER and not from_customer:
        notifications.message_sent(service_request, message)
    return message


@transaction.atomic
def add_attachment(actor: User, service_request: ServiceRequest, upload, *, visible_to_customer: bool = True,
                   is_decision: bool = False, channel: str = "", version: int | None = None) -> Attachment:
    """Store a file after checking its size and its real (sniffed) type.

    Staff may mark the file a decision document: the resident finds it in their document bank.
    With `version`, the file is refused (409 stale) if the request changed since it was read."""
    _require_staff_or_owner(actor, service_request)
    if version is not None:
        _lock_at_version(service_request, version)
    if not is_staff(actor):
        visible_to_customer, is_decision = True, False
    if is_decision and not visible_to_customer:
        raise InvalidInput({"is_decision": [_("A decision document is for the customer: let the customer see it.")]})
    checked = check_upload(upload)
    attachment = Attachment(request=service_request, original_name=checked.name, content_type=checked.content_type,
                            size=len(checked.data), sha256=checked.sha256, visible_to_customer=visible_to_customer,
                            is_decision=is_decision, uploaded_by=actor)
    # Written only after the checks passed; removed again if the database refuses the row.
    attachment.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            _record(service_request, "attachment_added", actor, channel=_channel_code(channel), data={
                "attachment_id": attachment.pk, "name": checked.name, "content_type": checked.content_type,
                "size": attachment.size, "sha256": checked.sha256, "visible_to_customer": visible_to_customer,
                "is_decision": is_decision,
            })
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment

