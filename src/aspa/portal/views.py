"""The residents' portal pages. Every read goes through the requests and customers apps'
queries, which already limit a resident to their own party; the views only render."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aspa.contacts import queries as contact_queries
from aspa.customers import operations as customer_operations
from aspa.customers import queries as customer_queries
from aspa.customers.models import ContactPoint, Party
from aspa.errors import Conflict, InvalidInput, NotFound
from aspa.identity.models import Role
from aspa.portal import acting
from aspa.portal.forms import (
    ActForForm,
    AnswerForm,
    AttachmentForm,
    DetailsForm,
    MessageForm,
    attachment_rules,
)
from aspa.portal.labels import contact_outcome, history_label, plain_status
from aspa.portal.posting import post_only_else_back_to
from aspa.requests import operations
from aspa.requests import queries as request_queries
from aspa.requests.models import OPEN_STATUSES, Status
from aspa.requests.queries import RequestFilters


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


def _acting_party_or_none(request: HttpRequest) -> Party | None:
    """Whom the resident acts for, or None for a resident the city has no customer record for."""
    try:
        return acting.acting_party(request)
    except PermissionDenied:
        return None


@resident_required
def home(request: HttpRequest) -> HttpResponse:
    """My errands (or the acting organisation's): open ones first, the newest first within each group."""
    party = _acting_party_or_none(request)
    rows = []
    if party is not None:
        open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
                          output_field=IntegerField())
        # The list shows only the service; the desk's prefetches would be queries for nothing.
        errands = (request_queries.list_requests(request.user, RequestFilters(party=party.pk))
                   .select_related("service").prefetch_related(None)
                   .annotate(closed_rank=open_first).order_by("closed_rank", "-created_at", "-id"))
        rows = [{"item": item, "status": plain_status(item.status), "open": item.status in OPEN_STATUSES}
                for item in errands]
    choices = acting.choices(request) if party is not None else []
    act_for_form = ActForForm(parties=choices, initial={"party": party.pk}) if choices else None
    return render(request, "portal/home.html", {"rows": rows, "current": "home", "act_for_form": act_for_form,
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
    return render(request, "portal/request_detail.html", context, status=status)


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


@resident_required
def documents(request: HttpRequest) -> HttpResponse:
    """The document bank: decisions and resolutions of the errands, the newest first."""
    party = _acting_party_or_none(request)
    entries: list[dict] = []
    if party is not None:
        entries += [{"at": document.created_at, "item": document.request, "document": document}
                    for document in request_queries.decision_documents(request.user, party.pk)]
        entries += [{"at": item.resolved_at, "item": item, "resolution": item.resolution}
                    for item in request_queries.resolutions_of(request.user, party.pk)]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return render(request, "portal/documents.html", {"entries": entries, "current": "documents"})


@resident_required
def contact_history(request: HttpRequest) -> HttpResponse:
    """The resident's contacts with the centre: when, how, about what and what came of it.
    The staff's notes are internal and are never read here."""
    party = _acting_party_or_none(request)
    rows = []
    if party is not None:
        contacts = list(contact_queries.list_contacts(request.user, party=party.pk)[:200])
        linked = {linked.pk for contact in contacts for linked in contact.request_list}
        # Only requests the resident may open are linked (a contact may mention someone else's).
        visible = set(request_queries.visible_requests(request.user).filter(pk__in=linked)
                      .values_list("pk", flat=True))
        rows = [{"contact": contact, "topics": [topic.name for topic in contact.topic_list],
                 "outcome": contact_outcome(contact.outcome),
                 "requests": [linked for linked in contact.request_list if linked.pk in visible]}
                for contact in contacts]
    return render(request, "portal/contacts.html", {"rows": rows, "current": "contacts"})


def _render_details(request: HttpRequest, party: Party, form: DetailsForm, status: int = 200,
                    notice: str = "") -> HttpResponse:
    contact_points = list(party.contact_points.all())
    context = {
        "party": party,
        "form": form,
        "notice": notice,
        "other_emails": [point for point in contact_points if point.kind == ContactPoint.Kind.EMAIL][1:],
        "other_phones": [point for point in contact_points if point.kind == ContactPoint.Kind.PHONE][1:],
        "other_addresses": [point for point in contact_points if point.kind == ContactPoint.Kind.ADDRESS][1:],
        "current": "me",
    }
    return render(request, "portal/my_details.html", context, status=status)


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    """The saved language becomes the page language now and after the session (the cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


@resident_required
def my_details(request: HttpRequest) -> HttpResponse:
    """The resident's own details (never an organisation's: the city keeps those). Name and
    henkilötunnus come from the population register and are shown, not edited."""
    if request.user.party_id is None:
        return render(request, "portal/my_details.html", {"party": None, "current": "me"})
    party = customer_queries.get_party_for(request.user, request.user.party_id)
    if request.method != "POST":
        return _render_details(request, party, DetailsForm.for_party(party))
    form = DetailsForm(request.POST, offers_sms=party.contact_points.filter(kind=ContactPoint.Kind.PHONE).exists())
    if not form.is_valid():
        if form.errors.get("version"):
            form.add_error(None, _("Reload the page and save your details again."))
        return _render_details(request, party, form, status=422)
    try:
        customer_operations.update_party(request.user, party, version=form.cleaned_data["version"],
                                         changes=form.changes(party), request=request)
    except Conflict:
        # Nothing was written: the page shows the details as they are now, to change again.
        party = customer_queries.get_party_for(request.user, request.user.party_id)
        return _render_details(request, party, DetailsForm.for_party(party), status=409, notice=_(
            "Your details were changed elsewhere since you opened this page, so nothing was saved. "
            "The page now shows the details as they are; make your change again."))
    except InvalidInput as refusal:
        form.add_operation_refusal(refusal)
        return _render_details(request, party, form, status=422)
    language = form.cleaned_data["language"]
    translation.activate(language)
    messages.success(request, _("Your details have been saved."))
    return _with_language(redirect("portal:me"), language)
