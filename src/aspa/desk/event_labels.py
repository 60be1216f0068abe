"""Plain words for what the request history records as codes."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "filed": _("Request filed"),
    "classify": _("Classified"),
    "take": _("Taken for handling"),
    "assign": _("Assigned"),
    "request_information": _("More information asked from the customer"),
    "provide_information": _("The customer gave more information"),
    "forward": _("Forwarded"),
    "redirect": _("Redirected elsewhere"),
    "resolve": _("Resolved"),
    "reopen": _("Reopened"),
    "close": _("Closed"),
    "edit": _("Details corrected"),
    "message_added": _("Message added"),
    "attachment_added": _("Attachment added"),
    # Written by the routing rules or a confident suggestion (aspa.routing).
    "routed": _("Routed by the routing rules"),
    # Written by the request's process (aspa.processes).
    "process_started": _("Process started"),
    "process_task_completed": _("Process task done"),
    "process_task_escalated": _("Overdue task escalated to the supervisor"),
    "process_completed": _("Process ended"),
    "process_failed": _("The process could not start; handle the request by hand"),
    "process_step_not_connected": _("Process step not connected to its system: to be done by hand"),
    # Kinds written before the invoicing and notice steps were marked as not connected.
    "invoice_requested": _("Invoice requested"),
    "notice_publication_requested": _("Publication on the notice board requested"),
}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))

