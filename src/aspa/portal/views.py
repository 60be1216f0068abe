"""The residents' portal pages. Every read goes through the requests and customers apps'
queries, which already limit a resident to their own party; the views only render."""

from collections.abc import Callable
from functools import wraps

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from aspa.api.errors import NotFound
from aspa.customers import queries as customer_queries
from aspa.customers.models import ContactPoint
from aspa.identity.models import Role
from aspa.portal.labels import history_label, plain_status
from aspa.requests import queries as request_queries
from aspa.requests.models import OPEN_STATUSES, Status


def _sign_in_url(next_path: str) -> str:
    return f"{reverse('saml:login')}?{urlencode({'next': next_path})}"


def resident_required(view: Callable) -> Callable:
    """Anonymous visitors are asked to identify themselves; staff are pointed to the desk (403).

    Pages with personal data are never cached: a shared computer's back button must not show them."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            if request.path == reverse("portal:home"):
                return render(request, "portal/sign_in.html", {"sign_in_url": _sign_in_url(request.path)})
            return redirect(_sign_in_url(request.get_full_path()))
        if not user.is_active or user.role != Role.RESIDENT:
            return render(request, "portal/staff.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@resident_required
def home(request: HttpRequest) -> HttpResponse:
    """My errands: open ones first, the newest first within each group."""
    open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    # The list shows only the service; the desk's prefetches would be queries for nothing.
    errands = (request_queries.list_requests(request.user).select_related("service").prefetch_related(None)
               .annotate(closed_rank=open_first).order_by("closed_rank", "-created_at", "-id"))
    rows = [{"item": item, "status": plain_status(item.status), "open": item.status in OPEN_STATUSES}
            for item in errands]
    return render(request, "portal/home.html", {"rows": rows, "current": "home"})


@resident_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        item = request_queries.get_request_for(request.user, number)
    except NotFound:
        raise Http404 from None
    history = []
    for event in request_queries.events_of(request.user, item):
        label = history_label(event.kind, event.from_status, event.to_status)
        if label is not None:
            history.append({"label": label, "at": event.at})
    context = {
        "item": item,
        "status": plain_status(item.status),
        "is_open": item.status in OPEN_STATUSES,
        "guidance": item.guidance if item.status == Status.REDIRECTED else "",
        "history": history,
        "messages_of_request": request_queries.messages_of(request.user, item),
        "current": "home",
    }
    return render(request, "portal/request_detail.html", context)


@resident_required
def my_details(request: HttpRequest) -> HttpResponse:
    party = None
    if request.user.party_id is not None:
        party = customer_queries.get_party_for(request.user, request.user.party_id)
    contact_points = list(party.contact_points.all()) if party else []
    context = {
        "party": party,
        "emails": [point for point in contact_points if point.kind == ContactPoint.Kind.EMAIL],
        "phones": [point for point in contact_points if point.kind == ContactPoint.Kind.PHONE],
        "addresses": [point for point in contact_points if point.kind == ContactPoint.Kind.ADDRESS],
        "current": "me",
    }
    return render(request, "portal/my_details.html", context)
