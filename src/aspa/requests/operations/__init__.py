"""Every change to a service request: filing, the actions of its life cycle, messages and
attachments. Each function runs in one transaction and writes an immutable RequestEvent;
customer emails are sent only after commit.

Changes use optimistic locking: the caller passes the version it read, and a change based
on an older version is refused with 409 "stale" and writes nothing.

Where each change lives:
- `filing.py`: `file_request` (numbered, received, with its due date, and its outbox event),
  `run_after_filing_now` (the desk's own filing runs the after-filing pipeline at once);
- `handling.py`: the life cycle (`classify`, `take`, `assign`, `request_information`,
  `provide_information`, `forward`, `redirect`, `resolve`, `reopen`, `close`), corrections
  (`update_details`), routing decisions (`record_routing`) and `reassign_many`;
- `messages.py`: `add_message`, `add_attachment`;
- `presence.py`: `note_viewer` (who has the request open now);
- `shared.py`: what they all use: which action is allowed in which status, the version lock,
  the history entry, who may act.

Other apps import the functions from here: `from aspa.requests.operations import file_request`."""

from aspa.requests.operations.filing import file_request, run_after_filing_now
from aspa.requests.operations.handling import (
    ROUTABLE_FIELDS,
    assign,
    classify,
    close,
    forward,
    provide_information,
    reassign_many,
    record_routing,
    redirect,
    reopen,
    request_information,
    resolve,
    take,
    update_details,
)
from aspa.requests.operations.messages import add_attachment, add_message
from aspa.requests.operations.presence import note_viewer
from aspa.requests.operations.shared import (
    ALLOWED_ACTIONS,
    LANGUAGE_CODES,
    MAX_TEXT,
    Action,
    check_allowed,
)

__all__ = [
    "ALLOWED_ACTIONS", "LANGUAGE_CODES", "MAX_TEXT", "ROUTABLE_FIELDS", "Action", "add_attachment", "add_message",
    "assign", "check_allowed", "classify", "close", "file_request", "forward", "run_after_filing_now", "note_viewer", "provide_information",
    "reassign_many", "record_routing", "redirect", "reopen", "request_information", "resolve", "take",
    "update_details",
]
