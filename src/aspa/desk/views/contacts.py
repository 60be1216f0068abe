"""The desk's contact screen ("New contact") and the list of contact requests.

A contact starts when the advisor presses Start: the server keeps its start time and the page
shows a running timer. One form records the customer, topics and notes and what was done; each
outcome calls one operation of the contacts app, which ends the contact in the same transaction."""

from collections.abc import Collection

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aspa.audit.reads import Reader
from aspa.catalogue import queries as catalogue
from aspa.contacts import operations, queries
from aspa.contacts.models import Contact, ContactRequest, Outcome
from aspa.customers.queries import find_parties
from aspa.desk import shortcuts
from aspa.desk.access import desk_user_required
from aspa.desk.forms.contacts import (
    ANONYMOUS,
    OUTCOME_LABELS,
    POSTS,
    CloseContactRequestForm,
    ContactForm,
    StartContactForm,
    default_due_at,
)
from aspa.desk.guidance import guidance_text
from aspa.desk.queries import QUEUES
from aspa.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from aspa.requests import operations as request_operations
from aspa.routing import queries as routing

SESSION_POST = "desk_post"
RESULTS = 8
SUGGESTIONS = 3
LIST_PAGE_SIZE = 50
SCOPES = {
    "for_me": gettext_lazy("For me, my team and my department"),
    "mine": gettext_lazy("Left for me"),
    "team": gettext_lazy("My team's"),
    "department": gettext_lazy("My department's"),
    "all": gettext_lazy("All I may see"),
}


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"desk_queues": QUEUES, "current": "contacts", **context}, status=status)


def _current_post(request: HttpRequest) -> str:
    return request.session.get(SESSION_POST) or "service_point"


def _remember_post(request: HttpRequest, channel: str) -> None:
    if channel in POSTS:
        request.session[SESSION_POST] = channel


def _own_contact(request: HttpRequest, contact_id: int) -> Contact:
    """The contact if the user may see it and change it: their own, or any for a supervisor.
    Not audited as a read, as before: it is the contact the user is recording (or correcting)."""
    try:
        contact = queries.get_contact_for(Reader.unaudited(request.user), contact_id)
    except NotFound as missing:
        raise Http404 from missing
    if contact.staff_id != request.user.pk and request.user.role not in operations.MAY_CORRECT_ANY:
        raise Http404
    return contact


def notes_language(party) -> str:
    """The language the notes are read in: the customer's, or else the advisor's language on screen."""
    for language in (getattr(party, "language", None), (get_language() or "")[:2]):
        if language in routing.LANGUAGES:
            return language
    return routing.LANGUAGES[0]


def routing_suggestions(notes: str, language: str, *, request_type: str | None = None,
                        chosen: Collection[str] = ()) -> list[dict]:
    """The routing classifier's best services for the notes, best first, each with its department,
    its confidence in percent and whether it is already a chosen topic. Nothing for empty notes or
    when no classifier is trained; a failing classifier is only logged, because the advisor can
    always find the topics by hand."""
    if not (notes or "").strip():
        return []
    found = routing.suggestions_to_show(notes, language, limit=SUGGESTIONS, type=request_type or None) or []
    return [{"service": item.service, "department": item.department, "percent": item.percent,
             "chosen": item.service.code in chosen} for item in found]


# ----------------------------------------------------------------- starting a contact


@desk_user_required
def new_contact(request: HttpRequest) -> HttpResponse:
    """GET: the start step (post and customer); POST: the contact starts now, and its screen opens."""
    user = request.user
    if request.method == "POST":
        form = StartContactForm(request.POST, user=user)
        if form.is_valid():
            party = form.cleaned_data["party"]
            contact = operations.record_contact(
                user, channel=form.cleaned_data["channel"], party=party,
                language=party.language if party is not None else (user.language or "fi"))
            _remember_post(request, form.cleaned_data["channel"])
            return redirect("desk:contact", contact.pk)
        return _render(request, "desk/contacts/new.html", {"form": form, "party": None}, status=422)
    party = None
    if request.GET.get("party"):
        form = StartContactForm({"party": request.GET["party"], "channel": _current_post(request)}, user=user)
        if not form.is_valid():
            raise Http404
        party = form.cleaned_data["party"]
    form = StartContactForm(initial={"channel": _current_post(request), "party": party.pk if party else None},
                            user=user)
    return _render(request, "desk/contacts/new.html", {"form": form, "party": party})


@desk_user_required
@require_POST
def set_post(request: HttpRequest) -> HttpResponse:
    """Where the advisor works now (the service point or the phone): the default channel of new contacts."""
    channel = request.POST.get("channel", "")
    if channel not in POSTS:
        messages.error(request, _("Choose the service point or the phone."))
    else:
        _remember_post(request, channel)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/desk/") else "desk:home")


# ----------------------------------------------------------------- the contact screen


def _contact_context(request: HttpRequest, contact: Contact, form: ContactForm) -> dict:
    """What the screen shows besides the form: the chosen customer and topics, organisation guidance."""
    data = form.data if form.is_bound else {}
    party_value = data.get("party") if form.is_bound else (str(contact.party_id) if contact.party_id else "")
    chosen_party = None
    if party_value and party_value != ANONYMOUS:
        chosen_party = form.party_found or _visible_party(Reader.unaudited(request.user), party_value)
    chosen_codes = data.getlist("topics") if form.is_bound else [service.code for service in contact.topic_list]
    chosen_topics = catalogue.services_by_code(chosen_codes)
    organisation = None
    if form.is_bound and data.get("organisation"):
        organisation = catalogue.organisation(data["organisation"])
    notes = data.get("notes", "") if form.is_bound else contact.notes
    suggestions = routing_suggestions(notes, notes_language(chosen_party),
                                      request_type=data.get("request_type") if form.is_bound else None,
                                      chosen=set(chosen_codes))
    form.describe_errors()
    elapsed = max(0, int((timezone.now() - contact.started_at).total_seconds()))
    return {
        "contact": contact, "form": form, "chosen_party": chosen_party,
        "chosen_party_list": [chosen_party] if chosen_party is not None else [],
        "chosen_topics": chosen_topics, "chosen_codes": set(chosen_codes), "suggestions": suggestions,
        "organisation": organisation, "guidance_text": guidance_text(organisation), "anonymous": ANONYMOUS,
        "outcome": (data.get("outcome") if form.is_bound else "") or Outcome.ANSWERED,
        "elapsed_seconds": elapsed, "elapsed_label": f"{elapsed // 60}:{elapsed % 60:02d}",
        "page_shortcuts": shortcuts.contact_screen(form.fields["outcome"].choices),
        "shortcut_keys": {"customer": shortcuts.CONTACT_CUSTOMER, "topics": shortcuts.CONTACT_TOPICS,
                          "notes": shortcuts.CONTACT_NOTES, "record": shortcuts.CONTACT_RECORD},
    }


def _visible_party(reader: Reader, value: str):
    """The customer chosen for the contact. The contact screen and its suggestions read it
    unaudited, as before (the contact being recorded names them); the search results log it."""
    try:
        return find_parties(reader).filter(pk=int(value)).first()
    except ValueError:
        return None


def _conclude(request: HttpRequest, contact: Contact, form: ContactForm):
    """Call the one operation the chosen outcome stands for."""
    data = form.cleaned_data
    summary = operations.ContactSummary(
        channel=data["channel"], party=data["party"], topics=data["topics"], notes=data["notes"].strip(),
        caller_name=data["caller_name"], caller_phone=data["caller_phone"], caller_email=data["caller_email"],
    )
    outcome = data["outcome"]
    if outcome == Outcome.ANSWERED:
        return operations.answer_contact(request.user, contact, summary)
    if outcome == Outcome.REQUEST_FILED:
        service_request = operations.file_request_from_contact(request.user, contact, summary,
                                                               request_type=data["request_type"])
        # Committed: route it and start its process now, so the confirmation shows where it went.
        request_operations.run_after_filing_now(service_request)
        return service_request
    if outcome == Outcome.FORWARDED:
        return operations.forward_from_contact(
            request.user, contact, summary, request_type=data["request_type"], about=data["about"],
            due_at=data["due_at"], preferred_channel=data["preferred_channel"] or "phone", **form.target())
    return operations.redirect_from_contact(
        request.user, contact, summary, request_type=data["request_type"], organisation=data["organisation"],
        guidance=data["guidance"], message=data["message"])


@desk_user_required
def contact_screen(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(request, contact_id)
    if contact.ended_at is not None:
        return redirect("desk:contact_done", contact.pk)
    if request.method == "POST":
        form = ContactForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                _conclude(request, contact, form)
            except InvalidInput as problem:
                form.add_operation_errors(problem.fields)
            except Conflict as problem:
                messages.error(request, str(problem.message))
                return redirect("desk:contact_done", contact.pk)
            except Forbidden as problem:
                raise PermissionDenied(str(problem.message)) from problem
            else:
                _remember_post(request, form.cleaned_data["channel"])
                return redirect("desk:contact_done", contact.pk)
        return _render(request, "desk/contacts/contact.html", _contact_context(request, contact, form), status=422)
    form = ContactForm(user=request.user, initial={
        "channel": contact.channel.code, "party": contact.party_id or "", "notes": contact.notes,
        "outcome": Outcome.ANSWERED, "due_at": default_due_at().strftime("%Y-%m-%dT%H:%M"),
        "preferred_channel": ContactRequest.PreferredChannel.PHONE,
    })
    return _render(request, "desk/contacts/contact.html", _contact_context(request, contact, form))


@desk_user_required
@require_GET
def contact_done(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The confirmation: what was recorded and done, with the way back to the desk or to a new contact."""
    contact = _own_contact(request, contact_id)
    if contact.ended_at is None:
        return redirect("desk:contact", contact.pk)
    contact_requests = list(contact.contact_requests.select_related("assignee", "team", "department"))
    service_requests = list(contact.requests.select_related("redirected_to", "department", "team", "assignee"))
    duration = int((contact.ended_at - contact.started_at).total_seconds())
    return _render(request, "desk/contacts/done.html", {
        "contact": contact, "outcome_label": OUTCOME_LABELS.get(contact.outcome, contact.get_outcome_display()),
        "service_requests": service_requests, "contact_requests": contact_requests,
        "duration_minutes": duration // 60, "duration_seconds": duration % 60,
    })


# ----------------------------------------------------------------- type-ahead parts (htmx)


@desk_user_required
@require_GET
def customer_results(request: HttpRequest) -> HttpResponse:
    """The customers matching the search box, as radio buttons; the chosen one stays on top."""
    text = request.GET.get("q", "").strip()
    chosen = request.GET.get("party", "")
    # Every customer listed is written to the audit log as read (by find_parties).
    reader = Reader.of(request, purpose="contact_customer_search")
    found = []
    if text:
        try:
            found = list(find_parties(reader, q=text)[:RESULTS])
        except DomainError:
            # Half a phone number or an id code is simply not found yet while the advisor types.
            found = []
    chosen_party = None
    if chosen and chosen != ANONYMOUS:
        chosen_party = next((party for party in found if str(party.pk) == chosen), None) \
            or _visible_party(reader, chosen)
    results = [party for party in found if chosen_party is None or party.pk != chosen_party.pk]
    if chosen_party is not None:
        results.insert(0, chosen_party)
    # One match of a phone number or id code is the caller: chosen at once, to save a keystroke.
    single = found[0] if len(found) == 1 and chosen_party is None else None
    return render(request, "desk/contacts/_customer_results.html", {
        "results": results, "checked": chosen_party or single, "searched": bool(text), "count": len(found),
        "oob": True,
    })


@desk_user_required
@require_GET
def topic_results(request: HttpRequest) -> HttpResponse:
    """Services matching the topic box by name or keyword, as checkboxes; the chosen ones stay on top.

    Also asked, quietly, when a suggested service is ticked: the topic list then shows it too."""
    chosen_codes = request.GET.getlist("topics")
    chosen = catalogue.services_by_code(chosen_codes)
    found = queries.find_topics(request.GET.get("topic_search", ""), limit=RESULTS)
    results = chosen + [service for service in found if service.code not in set(chosen_codes)]
    return render(request, "desk/contacts/_topic_results.html", {
        "results": results, "chosen": set(chosen_codes), "searched": bool(request.GET.get("topic_search", "").strip()),
        "count": len(found), "oob": not request.GET.get("quiet"),
    })


@desk_user_required
@require_GET
def topic_suggestions(request: HttpRequest) -> HttpResponse:
    """The routing classifier's suggested topics for the notes, as checkboxes; the chosen ones stay ticked."""
    party = request.GET.get("party", "")
    suggestions = routing_suggestions(
        request.GET.get("notes", ""),
        notes_language(_visible_party(Reader.unaudited(request.user), party)
                       if party and party != ANONYMOUS else None),
        request_type=request.GET.get("request_type"), chosen=set(request.GET.getlist("topics")))
    return render(request, "desk/contacts/_suggestions.html", {"suggestions": suggestions, "oob": True})


@desk_user_required
@require_GET
def organisation_guidance(request: HttpRequest) -> HttpResponse:
    """The chosen organisation's guidance text in the advisor's language."""
    organisation = catalogue.organisation(request.GET.get("organisation", ""))
    return render(request, "desk/contacts/_guidance.html",
                  {"organisation": organisation, "guidance_text": guidance_text(organisation)})


@desk_user_required
@require_GET
def contact_panel(request: HttpRequest) -> HttpResponse:
    """The desk home's contact card: the open contact, and contact requests for me with counts."""
    user = request.user
    counts = queries.contact_request_counts(user)
    due_today = list(queries.contact_requests_due_today(user)[:5]) if counts["due_today"] else []
    return render(request, "desk/contacts/_panel.html", {
        "open_contact": queries.open_contact_of(user), "counts": counts, "due_today": due_today,
    })


# ----------------------------------------------------------------- contact requests


@desk_user_required
@require_GET
def contact_request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = request.GET.get("scope", "for_me")
    status = request.GET.get("status", ContactRequest.Status.OPEN)
    if scope not in SCOPES or status not in ContactRequest.Status.values:
        raise Http404
    # The customers of the page shown are written to the audit log as read.
    found = queries.list_contact_requests(Reader.of(request, purpose="contact_request_list"), scope=scope,
                                          status=status)
    page = Paginator(found, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"item": item, "may_handle": queries.may_handle_contact_request(user, item)} for item in page.object_list]
    return _render(request, "desk/contacts/request_list.html", {
        "page": page, "rows": rows, "scope": scope, "status": status, "scopes": SCOPES,
        "statuses": ContactRequest.Status.choices, "now": timezone.now(),
    })


def _close(request: HttpRequest, contact_request_id: int, operation, done_message: str) -> HttpResponse:
    try:
        contact_request = queries.get_contact_request_for(request.user, contact_request_id)
    except NotFound as missing:
        raise Http404 from missing
    form = CloseContactRequestForm(request.POST)
    note = form.cleaned_data["outcome_note"] if form.is_valid() else ""
    try:
        operation(request.user, contact_request, note)
    except Forbidden as problem:
        raise PermissionDenied(str(problem.message)) from problem
    except Conflict as problem:
        messages.error(request, str(problem.message))
    else:
        messages.success(request, done_message)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(reverse("desk:contact_requests")) else "desk:contact_requests")


@desk_user_required
@require_POST
def complete_contact_request(request: HttpRequest, contact_request_id: int) -> HttpResponse:
    return _close(request, contact_request_id,
                  lambda user, item, note: operations.complete_contact_request(user, item, outcome_note=note),
                  _("The contact request is marked done."))


@desk_user_required
@require_POST
def cancel_contact_request(request: HttpRequest, contact_request_id: int) -> HttpResponse:
    return _close(request, contact_request_id,
                  lambda user, item, note: operations.cancel_contact_request(user, item, reason=note),
                  _("The contact request is cancelled."))
