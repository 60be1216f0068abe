"""The knowledge base on the desk: the side panel of the contact screen and the request page
(search while typing, "use this answer", helpful or not), an article's page, the expert directory
and the gaps report. Views parse, call one query or operation, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aspa.audit.reads import Reader
from aspa.contacts import queries as contact_queries
from aspa.desk.access import desk_user_required
from aspa.desk.queries import QUEUES
from aspa.errors import NotFound
from aspa.identity.models import Role
from aspa.knowledge import operations, queries, search
from aspa.knowledge.models import Article
from aspa.requests import queries as request_queries

OWNER_ROLES = (Role.EXPERT, Role.SUPERVISOR, Role.ADMIN)
PANEL_RESULTS = 5
SESSION_LAST_SEARCH = "knowledge_last_search"
# Searches typed within this many seconds that extend one another are one search in the log.
TYPING_SECONDS = 60


def _article_or_404(user, article_id: int) -> Article:
    """The article if the user may read it, else 404."""
    try:
        return queries.get_article_for(user, article_id)
    except NotFound as missing:
        raise Http404 from missing


def _record_search_click(search_id: str, article: Article) -> None:
    """The article was opened or used from a logged search result (its id in the link or form)."""
    if search_id.isdigit():
        operations.record_click(int(search_id), article)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"desk_queues": QUEUES, "current": "knowledge", **context}, status=status)


def _language(request: HttpRequest) -> str | None:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in ("fi", "sv", "en") else None


def _with_snippets(found, text: str) -> list[dict]:
    marked = search.snippets([article for _hit, article in found], text)
    return [{"article": article, "snippet": marked[article.pk]} for _hit, article in found]


def _confident(found) -> int:
    """How many results really answer the search: the gaps report counts a search with only weak
    matches as one that found nothing."""
    return sum(1 for hit, _article in found if hit.confidence >= search.CONFIDENT)


def _log_typed_search(request: HttpRequest, text: str, language: str, results: int) -> int | None:
    """Log what the advisor searched, once per search however many letters they typed."""
    last = request.session.get(SESSION_LAST_SEARCH) or {}
    now = timezone.now().timestamp()
    previous = last.get("text", "")
    if last.get("id") and now - last.get("at", 0) < TYPING_SECONDS and (
            text.startswith(previous) or previous.startswith(text)):
        log_id = operations.update_search(last["id"], text, results)
    else:
        entry = operations.log_search(text, language, "desk", results)
        log_id = entry.pk if entry else None
    if log_id:
        request.session[SESSION_LAST_SEARCH] = {"id": log_id, "text": text, "at": now}
    return log_id


@desk_user_required
@require_GET
def panel_results(request: HttpRequest) -> HttpResponse:
    """The side panel's results for what the advisor typed (htmx)."""
    text = request.GET.get("q", "").strip()[:300]
    language = _language(request)
    found = queries.search_for(request.user, text, language=language, limit=PANEL_RESULTS) if text else []
    marked = search.snippets([article for _hit, article in found], text)
    results = [{"article": article, "snippet": marked[article.pk],
                "confident": hit.confidence >= search.CONFIDENT} for hit, article in found]
    log_id = _log_typed_search(request, text, language or "fi", _confident(found)) if text else None
    return render(request, "desk/knowledge/_panel_results.html", {
        "results": results, "searched": bool(text), "query": text, "search_id": log_id,
        "contact_id": request.GET.get("contact", ""),
        "request_id": request.GET.get("request", ""), "next": request.GET.get("next", ""),
    })


@desk_user_required
@require_GET
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(request.user, article_id)
    operations.record_view(article)
    _record_search_click(request.GET.get("search", ""), article)
    return _render(request, "desk/knowledge/article.html", {
        "article": article, "translations": queries.translations_of(article),
        "versions": list(article.versions.select_related("changed_by")[:20]),
        "services": list(article.services.all()),
        "overdue": article.review_by is not None and article.review_by < timezone.localdate(),
    })


def _target_of(request: HttpRequest):
    """The contact or the request the answer is used on, if the user may see it."""
    contact_id = request.POST.get("contact", "")
    request_id = request.POST.get("request", "")
    try:
        if contact_id.isdigit():
            # Only checked and linked to the answer's use, not shown: not audited, as before.
            contact = contact_queries.get_contact_for(Reader.unaudited(request.user), int(contact_id))
            if contact.staff_id != request.user.pk and request.user.role not in (Role.SUPERVISOR, Role.ADMIN):
                raise Http404
            return {"contact": contact}
        if request_id:
            return {"service_request": request_queries.get_request_for(Reader.unaudited(request.user),
                                                                       request_id)}
    except NotFound as missing:
        raise Http404 from missing
    raise Http404


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("desk:home")


@desk_user_required
@require_POST
def use_answer(request: HttpRequest, article_id: int) -> HttpResponse:
    """Record that the model answer went into a reply; give the answer back to the page's script."""
    article = _article_or_404(request.user, article_id)
    operations.record_use(request.user, article, **_target_of(request))
    _record_search_click(request.POST.get("search", ""), article)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"answer": article.answer_text, "title": article.title,
                             "message": _("The model answer “%(title)s” was added to the reply.")
                             % {"title": article.title}})
    messages.success(request, _("The use of “%(title)s” is recorded. Copy its model answer from the panel.")
                     % {"title": article.title})
    return redirect(_back(request))


@desk_user_required
@require_POST
def feedback(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(request.user, article_id)
    helpful = request.POST.get("helpful") == "yes"
    search_id = request.POST.get("search", "")
    operations.give_feedback(request.user, article, helpful=helpful,
                             search_id=int(search_id) if search_id.isdigit() else None)
    if request.headers.get("HX-Request"):
        return HttpResponse(_("Thank you for the feedback."))
    messages.success(request, _("Thank you for the feedback."))
    return redirect(_back(request))


@desk_user_required
@require_GET
def used_on_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The articles used on the contact so far (the panel refreshes this after each use)."""
    try:
        # Only whether the user may see the contact: the panel lists articles, not the contact.
        contact_queries.get_contact_for(Reader.unaudited(request.user), contact_id)
    except NotFound as missing:
        raise Http404 from missing
    return render(request, "desk/knowledge/_used.html", {"uses": queries.uses_on_contact(contact_id)})


@desk_user_required
@require_GET
def experts(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:300]
    return _render(request, "desk/knowledge/experts.html", {"query": text, "experts": queries.find_experts(text)})


@desk_user_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The knowledge base's own search page (the same search as the panel, more results)."""
    text = request.GET.get("q", "").strip()[:300]
    language = _language(request) or (get_language() or "fi")[:2]
    found = queries.search_for(request.user, text, language=language, limit=20) if text else []
    log = operations.log_search(text, language, "desk", _confident(found)) if text else None
    return _render(request, "desk/knowledge/home.html", {
        "query": text, "language": language, "search_id": log.pk if log else "",
        "results": _with_snippets(found, text),
        "overdue": list(queries.overdue_reviews()[:20]) if request.user.role in OWNER_ROLES else [],
        "may_see_gaps": request.user.role in OWNER_ROLES,
    })


@desk_user_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    if request.user.role not in OWNER_ROLES:
        raise PermissionDenied
    return _render(request, "desk/knowledge/gaps.html", {"gaps": queries.gaps(), "days": 30,
                                                    "most_used": queries.most_used()})

