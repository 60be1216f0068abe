"""The staff desk. Views parse the query string, call the desk's and the requests app's
queries (which authorise), record the reads of personal data, and render."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from aspa.desk import queries, shortcuts
from aspa.desk.forms import RequestListFilters
from aspa.desk.labels import event_label
from aspa.desk.request_forms import available_actions
from aspa.errors import NotFound
from aspa.requests import queries as request_queries

PAGE_SIZE = 25
# How many requests each queue shows on the desk's front page.
PREVIEW_SIZE = 5


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"desk_queues": queries.QUEUES, **context})


def _rows(service_requests: list) -> list[dict]:
    return [{"item": item, "overdue": request_queries.is_overdue(item)} for item in service_requests]


def desk_user_required(view: Callable) -> Callable:
    """Anonymous visitors go to the sign-in page; signed-in users without a desk role get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}")
        if not user.is_active or user.role not in queries.DESK_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@desk_user_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = queries.queue_counts(user)
    queues = []
    for queue in queries.QUEUES:
        # An empty queue needs no second query for its (empty) list.
        preview = (list(queries.queue_requests(user, queue.key)[:PREVIEW_SIZE])
                   if counts[queue.key.value] else [])
        queues.append({"queue": queue, "count": counts[queue.key.value], "rows": _rows(preview)})
    return _render(request, "desk/home.html", {"queues": queues, "current": "home"})


@desk_user_required
def request_list(request: HttpRequest) -> HttpResponse:
    view_key = request.GET.get("view", queries.QueueKey.MINE.value)
    queue = queries.QUEUES_BY_KEY.get(view_key)
    if queue is None:
        raise Http404
    form = RequestListFilters(request.GET)
    found = queries.queue_requests(request.user, queue.key, status=form.value("status"),
                                   service=form.value("service"), order_by=form.order_by())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    queries.record_reads(request, request.user, rows)
    # The current filters without the page, for the sort and page links.
    kept = request.GET.copy()
    kept.pop("page", None)
    without_sort = kept.copy()
    without_sort.pop("sort", None)
    return _render(request, "desk/request_list.html", {
        "queue": queue, "form": form, "page": page, "rows": _rows(rows), "current": queue.key.value,
        "sort": form.value("sort") or "due_date", "query": kept.urlencode(), "query_without_sort": without_sort.urlencode(),
    })


@desk_user_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    try:
        service_request = request_queries.get_request_for(user, number)
    except NotFound as missing:
        raise Http404 from missing
    queries.record_reads(request, user, [service_request])
    events = [{"event": event, "label": event_label(event.kind)}
              for event in request_queries.events_of(user, service_request)]
    return _render(request, "desk/request_detail.html", {
        "item": service_request,
        "overdue": request_queries.is_overdue(service_request),
        "events": events,
        "messages_of_request": list(request_queries.messages_of(user, service_request)),
        "attachments": list(request_queries.attachments_of(user, service_request)),
        "page_shortcuts": shortcuts.request_page(available_actions(user, service_request)),
        "current": "",
    })
