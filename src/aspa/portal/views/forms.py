"""The electronic forms' pages (/forms/): the list of forms, filling one in (save a draft,
preview, submit), the receipt and the printable copy. The views only parse, call
eforms.operations or eforms.queries, and render; every draft, receipt and copy is looked up
through its owner."""

import secrets
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aspa.audit.reads import Reader
from aspa.eforms import answers as form_answers
from aspa.eforms import limits, operations, prefill, queries, receipts
from aspa.eforms.models import Draft, FormDefinition, FormVersion
from aspa.eforms.operations import Owner
from aspa.errors import DomainError, InvalidInput, NotFound
from aspa.identity.access import SEES_FULL_IDENTITY, is_staff
from aspa.identity.models import Role
from aspa.portal import form_fields
from aspa.portal.acting import acting_party
from aspa.portal.forms import attachment_rules
from aspa.portal.views.guards import sign_in_url, staff_page
from aspa.requests.models import OPEN_STATUSES

VISITOR_SESSION_KEY = "eforms_visitor"


def _not_found(function: Callable) -> Callable:
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def _sign_in(request: HttpRequest) -> HttpResponse:
    return redirect(sign_in_url(request.get_full_path()))


def _owner(request: HttpRequest, *, create_visitor: bool = False) -> Owner:
    user = request.user
    if user.is_authenticated:
        if not user.is_active or user.role != Role.RESIDENT:
            raise PermissionDenied
        if user.party_id is None:
            # Signed in without strong identification: forms can be filled, filing is refused.
            return Owner(user=user)
        return Owner(user=user, party=acting_party(request))
    visitor = request.session.get(VISITOR_SESSION_KEY, "")
    if not visitor and create_visitor:
        visitor = secrets.token_urlsafe(32)
        request.session[VISITOR_SESSION_KEY] = visitor
    return Owner(user=None, visitor=visitor)


def forms_page(anonymous_ok: Callable[..., bool] | None = None) -> Callable:
    """Signed-in residents always; anonymous visitors only where `anonymous_ok(**kwargs)` says so
    (a form that allows anonymous filing). Staff are pointed to the desk. Never cached."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @never_cache
        @_not_found
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if user.is_authenticated and (not user.is_active or user.role != Role.RESIDENT):
                return staff_page(request)
            if not user.is_authenticated:
                if anonymous_ok is None or not anonymous_ok(request, **kwargs):
                    return _sign_in(request)
                if request.method == "POST" and not limits.allow_anonymous_post(request):
                    return render(request, "portal/forms/too_many.html", status=429)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied:
                return staff_page(request)

        return wrapper

    return decorate


def _form_allows_anonymous(request: HttpRequest, code: str) -> bool:
    return queries.get_form(code).allow_anonymous


def _draft_allows_anonymous(request: HttpRequest, token) -> bool:
    # An anonymous visitor reaches only their own session's drafts; the lookup decides the rest.
    return bool(request.session.get(VISITOR_SESSION_KEY))


# ----------------------------------------------------------------- the list of forms


@never_cache
def index(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated and request.user.role == Role.RESIDENT
    drafts = list(queries.drafts_of(_owner(request))[:20]) if signed_in else []
    return render(request, "portal/forms/index.html", {
        "groups": queries.forms_by_service(), "drafts": drafts, "signed_in": signed_in, "current": "forms"})


# ----------------------------------------------------------------- filling in


def _render_form(request: HttpRequest, form: FormDefinition, version: FormVersion, answers: dict, *,
                 errors: dict[str, str] | None = None, draft: Draft | None = None, status: int = 200) -> HttpResponse:
    errors = errors or {}
    schema = version.parsed
    action = (reverse("eforms:draft", args=[draft.token]) if draft is not None
              else reverse("eforms:fill", args=[form.code]))
    return render(request, "portal/forms/fill.html", {
        "form_definition": form, "version": version, "draft": draft, "action": action,
        "sections": form_fields.sections(schema, answers, errors),
        "error_list": form_fields.error_list(schema, errors),
        "has_files": any(field.type == form_answers.FILE_FIELD for field in schema.fields()),
        "anonymous": not request.user.is_authenticated,
        "attachment_rules": attachment_rules(), "current": "forms",
    }, status=status)


@forms_page(anonymous_ok=_form_allows_anonymous)
def fill(request: HttpRequest, code: str) -> HttpResponse:
    form = queries.get_form(code)
    if request.method == "POST":
        return _save(request, form, None)
    version = operations.latest_version(form)
    answers: dict = {}
    if request.user.is_authenticated:
        owner = _owner(request)
        person = request.user.party
        organisation = owner.party if owner.party is not None and owner.party.pk != request.user.party_id else None
        answers = prefill.prefilled_answers(version.parsed, person, organisation)
    return _render_form(request, form, version, answers)


@forms_page(anonymous_ok=_draft_allows_anonymous)
def draft_page(request: HttpRequest, token) -> HttpResponse:
    owner = _owner(request)
    try:
        draft = queries.get_draft_for(owner, token)
    except NotFound:
        return _already_filed_or_404(owner, token)
    if request.method == "POST":
        return _save(request, draft.version.form, draft)
    return _render_form(request, draft.version.form, draft.version, draft.answers, draft=draft)


def _already_filed_or_404(owner: Owner, token) -> HttpResponse:
    """A draft that has been filed is gone: its page (or its submit button, pressed again)
    shows the receipt of the one request it became."""
    if queries.find_submission_for(owner, token) is None:
        raise Http404
    return redirect("eforms:receipt", token=token)


def _save(request: HttpRequest, form: FormDefinition, draft: Draft | None) -> HttpResponse:
    owner = _owner(request, create_visitor=True)
    action = request.POST.get("action", "preview")
    saved = operations.save_answers(owner, form, draft, request.POST, request.FILES,
                                    remove_files=request.POST.getlist("remove-file"))
    version = saved.draft.version
    if saved.file_errors or (action == "preview" and saved.checked.errors):
        errors = saved.file_errors if action == "save" else saved.checked.errors
        return _render_form(request, form, version, saved.draft.answers, errors=errors, draft=saved.draft,
                            status=422)
    if action == "save":
        messages.success(request, _("Your draft has been saved. You can come back to it later from the list of "
                                    "forms.") if owner.user is not None else _("Your draft has been saved."))
        return redirect("eforms:draft", token=saved.draft.token)
    return redirect("eforms:preview", token=saved.draft.token)


@forms_page(anonymous_ok=_draft_allows_anonymous)
def preview(request: HttpRequest, token) -> HttpResponse:
    owner = _owner(request)
    try:
        draft = queries.get_draft_for(owner, token)
    except NotFound:
        return _already_filed_or_404(owner, token)
    checked = form_answers.check(draft.version.parsed, draft.answers)
    if checked.errors:
        return _render_form(request, draft.version.form, draft.version, draft.answers, errors=checked.errors,
                            draft=draft, status=422)
    return render(request, "portal/forms/preview.html", {
        "draft": draft, "form_definition": draft.version.form,
        "summary": form_answers.summary(draft.version.parsed, checked.answers), "current": "forms"})


@forms_page(anonymous_ok=_draft_allows_anonymous)
def submit(request: HttpRequest, token) -> HttpResponse:
    if request.method != "POST":
        # Back from signing in again after the session ended: the preview, to send from there.
        return redirect("eforms:preview", token=token)
    owner = _owner(request)
    try:
        draft = queries.get_draft_for(owner, token)
    except NotFound:
        return _already_filed_or_404(owner, token)
    try:
        submission = operations.submit(owner, draft)
    except InvalidInput as refusal:
        questions = {field.name for field in draft.version.parsed.fields()}
        errors = {}
        for name, problems in refusal.fields.items():
            if name in questions:
                errors[name] = str(problems[0])
            else:  # the request's own check (a file, a contact detail): shown above the form
                messages.error(request, " ".join(str(problem) for problem in problems))
        return _render_form(request, draft.version.form, draft.version, draft.answers, errors=errors, draft=draft,
                            status=422)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return redirect("eforms:preview", token=draft.token)
    return redirect("eforms:receipt", token=submission.token)


@forms_page(anonymous_ok=_draft_allows_anonymous)
def delete(request: HttpRequest, token) -> HttpResponse:
    if request.method != "POST":
        return redirect("eforms:draft", token=token)
    draft = queries.get_draft_for(_owner(request), token)
    operations.delete_draft(draft)
    messages.success(request, _("The draft has been deleted."))
    return redirect("eforms:index")


# ----------------------------------------------------------------- after filing


@forms_page(anonymous_ok=_draft_allows_anonymous)
def receipt(request: HttpRequest, token) -> HttpResponse:
    submission = queries.get_submission_for(_owner(request), token)
    service_request = submission.request
    return render(request, "portal/forms/receipt.html", {
        "submission": submission, "item": service_request, "form_definition": submission.version.form,
        "next_steps": receipts.next_steps(service_request), "days": receipts.handling_days(service_request),
        "signed_in": request.user.is_authenticated, "current": "forms"})


def _copy_context(request: HttpRequest, number: str) -> dict:
    if not request.user.is_authenticated:
        raise NotFound()
    # Staff reading a customer's answers is a read of personal data: logged with who and when.
    submission = queries.submission_of_request(Reader.of(request), number)
    with_language = submission.version.parsed
    return {"submission": submission, "item": submission.request, "form_definition": submission.version.form,
            "summary": form_answers.summary(with_language, submission.answers, mask_identity=(
                is_staff(request.user) and request.user.role not in SEES_FULL_IDENTITY)),
            "is_open": submission.request.status in OPEN_STATUSES}


@never_cache
@_not_found
def copy(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _sign_in(request)
    return render(request, "portal/forms/copy.html", _copy_context(request, number))


@never_cache
@_not_found
def copy_pdf(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _sign_in(request)
    # fpdf2 brings numpy, Pillow and fontTools (about 70 MiB): only for the worker that draws a copy.
    from aspa.eforms import pdf

    context = _copy_context(request, number)
    data = pdf.render_copy(context["submission"], context["summary"])
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{context["item"].number}.pdf"'
    return response
