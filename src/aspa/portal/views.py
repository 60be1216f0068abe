"""The residents' portal pages. Every read goes through the requests and customers apps'
queries, which already limit a resident to their own party; the views only render."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aspa.api.errors import Conflict, InvalidInput, NotFound
from aspa.customers import queries as customer_queries
from aspa.customers.models import ContactPoint
from aspa.identity.models import Role
from aspa.portal.forms import AnswerForm, AttachmentForm, MessageForm, attachment_rules
from aspa.portal.labels import history_label, plain_status
from aspa.requests import operations
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


def _own_request(request: HttpRequest, number: str):
    try:
        return request_queries.get_request_for(request.user, number)
    except NotFound:
        raise Http404 from None


def _render_detail(request: HttpRequest, item, *, answer_form: AnswerForm | None = None,
                   message_form: MessageForm | None = None, attachment_form: AttachmentForm | None = None,
                   status: int = 200) -> HttpResponse:
    history = []
    events = list(request_queries.events_of(request.user, item))
    for event in events:
        label = history_label(event.kind, event.from_status, event.to_status)
        if label is not None:
            history.append({"label": label, "at": event.at})
    waiting = item.status == Status.WAITING
    question = ""
    if waiting:
        asked = [event for event in events if event.kind == "request_information"]
        question = asked[-1].data.get("question", "") if asked else ""
    is_open = item.status in OPEN_STATUSES
    context = {
        "item": item,
        "status": plain_status(item.status),
        "is_open": is_open,
        "guidance": item.guidance if item.status == Status.REDIRECTED else "",
        "history": history,
        "messages_of_request": request_queries.messages_of(request.user, item),
        "attachments": request_queries.attachments_of(request.user, item),
        "waiting": waiting,
        "question": question,
        "answer_form": answer_form or (AnswerForm(initial={"version": item.version}) if waiting else None),
        "message_form": message_form or (MessageForm() if is_open else None),
        "attachment_form": attachment_form or (AttachmentForm() if is_open else None),
        "attachment_rules": attachment_rules(),
        "current": "home",
    }
    return render(request, "portal/request_detail.html", context, status=status)


@resident_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_detail(request, _own_request(request, number))


def _back_to(item, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:request", number=item.number)


@require_POST
@resident_required
def answer(request: HttpRequest, number: str) -> HttpResponse:
    item = _own_request(request, number)
    form = AnswerForm(request.POST)
    status = 422  # like the desk's forms: the page again, with the refusal next to the field
    if form.is_valid():
        try:
            operations.provide_information(request.user, item, version=form.cleaned_data["version"],
                                           answer=form.cleaned_data["answer"])
        except InvalidInput as refusal:
            form.add_refusal(refusal, "answer")
        except Conflict:
            status = 409
            changed = _("Your request has changed since you opened this page, so your answer was not sent. "
                        "Check the request's current state below and send again if it is still needed.")
            # Nothing was written. The page is read again to show the request as it is now.
            current = _own_request(request, number)
            if current.status == Status.WAITING:
                form.add_error("answer", changed)  # the text stays in the box, to send again
                return _render_detail(request, current, answer_form=form, status=status)
            # No longer waiting for an answer: the text moves to the message box instead of being lost.
            messages.error(request, changed)
            return _render_detail(request, current, message_form=MessageForm(initial={
                "body": form.cleaned_data["answer"]}), status=status)
        else:
            return _back_to(item, _("Thank you. Your answer has been sent."), request)
    if form.errors.get("version"):
        form.add_error("answer", _("Reload the page and send your answer again."))
    return _render_detail(request, item, answer_form=form, status=status)


@require_POST
@resident_required
def write_message(request: HttpRequest, number: str) -> HttpResponse:
    item = _own_request(request, number)
    form = MessageForm(request.POST)
    if item.status not in OPEN_STATUSES:
        form.add_error(None, _("This request is closed. To continue, contact the customer service centre."))
    elif form.is_valid():
        try:
            operations.add_message(request.user, item, body=form.cleaned_data["body"])
        except InvalidInput as refusal:
            form.add_refusal(refusal, "body")
        else:
            return _back_to(item, _("Thank you. Your message has been sent."), request)
    return _render_detail(request, item, message_form=form, status=422)


@require_POST
@resident_required
def add_attachment(request: HttpRequest, number: str) -> HttpResponse:
    item = _own_request(request, number)
    form = AttachmentForm(request.POST, request.FILES)
    if item.status not in OPEN_STATUSES:
        form.add_error(None, _("This request is closed. To continue, contact the customer service centre."))
    elif form.is_valid():
        try:
            operations.add_attachment(request.user, item, form.cleaned_data["file"])
        except InvalidInput as refusal:
            form.add_refusal(refusal, "file")
        else:
            return _back_to(item, _("Thank you. Your file has been added."), request)
    return _render_detail(request, item, attachment_form=form, status=422)


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
