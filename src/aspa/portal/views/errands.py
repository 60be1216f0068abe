"""The resident's errands: the list (their own or the acting organisation's), whom to act for,
an errand's page and what they do there (answer a question, write, add a file, download one).
Every read goes through the requests app's queries, which limit a resident to the parties they
may act for; the views parse, call one operation or query, and render."""

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aspa.audit.reads import Reader
from aspa.customers.models import Party
from aspa.errors import Conflict, InvalidInput, NotFound
from aspa.portal import acting
from aspa.portal.forms import ActForForm, AnswerForm, AttachmentForm, MessageForm, attachment_rules
from aspa.portal.views.guards import post_only_else_back_to, resident_required
from aspa.requests import operations
from aspa.requests import queries as request_queries
from aspa.requests.models import OPEN_STATUSES, Status
from aspa.requests.queries import RequestFilters
from aspa.requests.status_words import history_label, plain_status


@resident_required
def home(request: HttpRequest) -> HttpResponse:
    """My errands (or the acting organisation's): open ones first, the newest first within each group."""
    party = acting.acting_party_or_none(request)
    rows = []
    if party is not None:
        open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
                          output_field=IntegerField())
        # The list shows only the service; the desk's prefetches would be queries for nothing.
        errands = (request_queries.list_requests(Reader.of(request), RequestFilters(party=party.pk))
                   .select_related("service").prefetch_related(None)
                   .annotate(closed_rank=open_first).order_by("closed_rank", "-created_at", "-id"))
        rows = [{"item": item, "status": plain_status(item.status), "open": item.status in OPEN_STATUSES}
                for item in errands]
    choices = acting.choices(request) if party is not None else []
    act_for_form = ActForForm(parties=choices, initial={"party": party.pk}) if choices else None
    return render(request, "portal/errands/list.html", {"rows": rows, "current": "home", "act_for_form": act_for_form,
                                                "for_organisation": party is not None
                                                and party.kind == Party.Kind.ORGANISATION})


@post_only_else_back_to("portal:home")
@resident_required
def act_for(request: HttpRequest) -> HttpResponse:
    """Switch between acting for oneself and for an organisation one holds a valid mandate for."""
    form = ActForForm(request.POST, parties=acting.choices(request) if request.user.party_id else [])
    if not form.is_valid():
        messages.error(request, _("You have no valid mandate for this."))
        return redirect("portal:home")
    party = acting.act_for(request, form.cleaned_data["party"])
    messages.success(request, _("You now act for %(party)s.") % {"party": party.display_name})
    return redirect("portal:home")


def _own_request(request: HttpRequest, number: str):
    try:
        return request_queries.get_request_for(Reader.of(request), number)
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
        "on_behalf_of": item.party if item.party_id != request.user.party_id else None,
        "resolution": item.resolution if item.status in (Status.RESOLVED, Status.CLOSED) else "",
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
    return render(request, "portal/errands/detail.html", context, status=status)


@resident_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_detail(request, _own_request(request, number))


def _back_to(item, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:request", number=item.number)


@post_only_else_back_to("portal:request", "number")
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


@post_only_else_back_to("portal:request", "number")
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


@post_only_else_back_to("portal:request", "number")
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
def download_attachment(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    """A file of the resident's own errand, if it is one they may see; otherwise 404.

    Always a download (Content-Disposition: attachment, the name encoded by Django), with the
    type stored when the file's content was checked, and never sniffed by the browser (nosniff)."""
    item = _own_request(request, number)
    try:
        attachment = request_queries.get_attachment_for(request.user, item, attachment_id)
    except NotFound:
        raise Http404 from None
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)
