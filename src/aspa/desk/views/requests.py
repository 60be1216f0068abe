"""The requests on the desk: the queues' lists, the request page, acting on a request from it, the
page's "who else has it open" heartbeat, and the back-office expert's inbox.

Views parse the query string, call the desk's and the requests app's queries (which authorise
and write the reads of personal data to the audit log), and render. An action is a plain POST
form (htmx swaps the page in place when JavaScript runs). A valid form calls one operation of the
requests app; success redirects back to the request page (post/redirect/get), a refusal renders
the same page with the form open and the errors next to the fields."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aspa.audit.reads import Reader
from aspa.desk import queries as desk_queries
from aspa.desk import shortcuts
from aspa.desk.access import desk_user_required
from aspa.desk.event_labels import event_label
from aspa.desk.forms.request_actions import (
    DESK_ACTIONS_BY_KEY,
    ActionForm,
    DeskAction,
    RedirectForm,
    allowed_now,
    available_actions,
    may_use_role,
)
from aspa.desk.forms.request_list import RequestListFilters
from aspa.desk.guidance import guidance_text
from aspa.errors import Conflict, Forbidden, InvalidInput, NotFound
from aspa.identity.models import User
from aspa.requests import operations
from aspa.requests import queries as request_queries
from aspa.requests.models import ServiceRequest

PAGE_SIZE = 25
# The refused action travels to the page's template tag on the request object, so the page is
# rendered by the one request-page view with its own context.
PENDING_ATTRIBUTE = "desk_pending_action"


def render_desk_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"desk_queues": desk_queries.QUEUES, **context})


def request_rows(service_requests: list) -> list[dict]:
    """The rows of a request table: each request and whether it is overdue."""
    return [{"item": item, "overdue": request_queries.is_overdue(item)} for item in service_requests]


@desk_user_required
def request_list(request: HttpRequest) -> HttpResponse:
    view_key = request.GET.get("view", desk_queries.QueueKey.MINE.value)
    queue = desk_queries.QUEUES_BY_KEY.get(view_key)
    if queue is None:
        raise Http404
    form = RequestListFilters(request.GET)
    found = desk_queries.queue_requests(Reader.of(request), queue.key, status=form.value("status"),
                                        service=form.value("service"), order_by=form.order_by())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # The current filters without the page, for the sort and page links.
    kept = request.GET.copy()
    kept.pop("page", None)
    without_sort = kept.copy()
    without_sort.pop("sort", None)
    return render_desk_page(request, "desk/requests/list.html", {
        "queue": queue, "form": form, "page": page, "rows": request_rows(rows), "current": queue.key.value,
        "sort": form.value("sort") or "due_date", "query": kept.urlencode(), "query_without_sort": without_sort.urlencode(),
    })


@desk_user_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    try:
        service_request = request_queries.get_request_for(Reader.of(request), number)
    except NotFound as missing:
        raise Http404 from missing
    events = [{"event": event, "label": event_label(event.kind)}
              for event in request_queries.events_of(user, service_request)]
    return render_desk_page(request, "desk/requests/detail.html", {
        "item": service_request,
        "overdue": request_queries.is_overdue(service_request),
        "being_routed": request_queries.is_being_routed(service_request),
        "events": events,
        "messages_of_request": list(request_queries.messages_of(user, service_request)),
        "attachments": list(request_queries.attachments_of(user, service_request)),
        "page_shortcuts": shortcuts.request_page(available_actions(user, service_request)),
        "current": "",
    })


@dataclass
class Pending:
    """An action that was refused: its form with the user's input, and why."""

    key: str
    form: ActionForm
    problem: str = ""
    changes: list[dict] = field(default_factory=list)
    status: int = 422


def _get_request(user: User, number: str) -> ServiceRequest:
    """The request that an action or the page's heartbeat acts on. Not audited as a read, as
    before: the operation records the action in the request's history, and the request page
    that shows the request (also after a refused action) writes its own read."""
    try:
        return request_queries.get_request_for(Reader.unaudited(user), number)
    except NotFound as missing:
        raise Http404 from missing


def _last_event_id(service_request: ServiceRequest) -> int | None:
    return service_request.events.order_by("-id").values_list("id", flat=True).first()


def panel_context(http_request: HttpRequest, service_request: ServiceRequest, seen: int | None) -> dict:
    """What the action panel of a request page shows: the forms of the allowed actions, who else
    has the request open, and the refused action if there is one."""
    user = http_request.user
    pending: Pending | None = getattr(http_request, PENDING_ATTRIBUTE, None)
    actions = []
    for entry in available_actions(user, service_request):
        if pending is not None and pending.key == entry.key:
            form = pending.form
        else:
            form = entry.form(service_request, user, key=entry.key,
                              initial={"version": service_request.version, "seen": seen})
        form.describe_errors()
        is_open = pending is not None and pending.key == entry.key and bool(form.errors or pending.changes)
        action = {"entry": entry, "form": form, "open": is_open}
        if isinstance(form, RedirectForm):
            organisation = form.chosen_organisation()
            action["guidance"] = {"organisation": organisation, "text": guidance_text(organisation)}
        actions.append(action)
    done = DESK_ACTIONS_BY_KEY.get(http_request.GET.get("done", ""))
    return {
        "item": service_request,
        "actions": actions,
        "pending": pending,
        "viewers": request_queries.other_viewers(user, service_request),
        "done": done,
    }


def _refused(http_request: HttpRequest, number: str, pending: Pending) -> HttpResponse:
    setattr(http_request, PENDING_ATTRIBUTE, pending)
    response = request_detail(http_request, number)
    # htmx swaps only successful responses; without it the browser gets the honest status.
    response.status_code = 200 if http_request.headers.get("HX-Request") else pending.status
    return response


def _changes_since(user: User, service_request: ServiceRequest, seen: int | None) -> list[dict]:
    events = request_queries.events_of(user, service_request)
    if seen is not None:
        events = events.filter(id__gt=seen)
    else:
        events = events.filter(id__in=list(service_request.events.order_by("-id").values_list("id", flat=True)[:3]))
    return [{"event": event, "label": event_label(event.kind)} for event in events]


def _after_conflict(http_request: HttpRequest, entry: DeskAction, stale: ServiceRequest,
                    form: ActionForm) -> Pending:
    """Nothing was written: show what changed, and the form again with the user's input, now
    based on the current version so that they can save it again if it still applies."""
    user = http_request.user
    current = _get_request(user, str(stale.pk))
    seen = form.cleaned_data.get("seen") if hasattr(form, "cleaned_data") else None
    data = http_request.POST.copy()
    data["version"] = str(current.version)
    data["seen"] = str(_last_event_id(current) or "")
    fresh = entry.form(current, user, data, key=entry.key)
    fresh.is_valid()
    return Pending(
        key=entry.key, form=fresh, status=409, changes=_changes_since(user, current, seen),
        problem=_("Someone else changed this request while you were working on it, so nothing was saved. "
                  "Check what changed below and save again if your change still applies."),
    )


@desk_user_required
@require_POST
def act(http_request: HttpRequest, number: str, action: str) -> HttpResponse:
    entry = DESK_ACTIONS_BY_KEY.get(action)
    if entry is None:
        raise Http404
    user = http_request.user
    service_request = _get_request(user, number)
    if not may_use_role(entry, user):
        raise PermissionDenied
    form = entry.form(service_request, user, http_request.POST, http_request.FILES, key=entry.key)
    if not allowed_now(entry, service_request):
        form.is_valid()
        return _refused(http_request, number, Pending(
            key=entry.key, form=form, status=409,
            problem=_("“%(action)s” is not possible while the request is %(status)s.")
            % {"action": entry.title, "status": service_request.get_status_display()}))
    if not form.is_valid():
        return _refused(http_request, number, Pending(key=entry.key, form=form))
    try:
        form.perform(user, service_request, form.cleaned_data)
    except InvalidInput as error:
        form.add_operation_errors(error.fields)
        return _refused(http_request, number, Pending(key=entry.key, form=form))
    except Conflict as error:
        if error.code == "stale":
            return _refused(http_request, number, _after_conflict(http_request, entry, service_request, form))
        return _refused(http_request, number, Pending(key=entry.key, form=form, problem=str(error.message),
                                                      status=409))
    except Forbidden as refusal:
        raise PermissionDenied from refusal
    # The history event names what was done; the page says it once more in its status line.
    target = reverse("desk:request", args=[service_request.number])
    return redirect(f"{target}?done={entry.key}", permanent=False)


@desk_user_required
@require_POST
def presence(http_request: HttpRequest, number: str) -> HttpResponse:
    """The request page's heartbeat: note that this user has it open, answer who else has."""
    service_request = _get_request(http_request.user, number)
    operations.note_viewer(http_request.user, service_request)
    return render(http_request, "desk/requests/_presence.html",
                  {"viewers": request_queries.other_viewers(http_request.user, service_request)})


@desk_user_required
def inbox(http_request: HttpRequest) -> HttpResponse:
    """Requests and contact requests forwarded to the user, their team or department, by due date."""
    page = Paginator(request_queries.forwarded_to(Reader.of(http_request)), PAGE_SIZE).get_page(
        http_request.GET.get("page"))
    rows = list(page.object_list)  # the page shown: its rows are written to the audit log
    return render(http_request, "desk/requests/inbox.html", {
        "desk_queues": desk_queries.QUEUES, "current": "inbox", "page": page,
        "rows": request_rows(rows),
    })
