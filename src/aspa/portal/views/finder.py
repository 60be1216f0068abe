"""The service finder: residents browse the city's services by topic and by life situation, or
search them, without signing in. The catalogue is public; the page frame still carries the
signed-in resident's name and a CSRF token, so the pages are not marked cacheable."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from aspa.catalogue import queries
from aspa.errors import NotFound

SEARCH_MAX_LENGTH = 200


def _finder_context(**context) -> dict:
    return {"current": "services", "search_max_length": SEARCH_MAX_LENGTH, **context}


def finder_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/finder/home.html", _finder_context(
        categories=[c for c in queries.finder_categories() if c.service_count],
        situations=[s for s in queries.finder_life_situations() if s.service_count],
    ))


def category(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found, services = queries.finder_category(code)
    except NotFound:
        raise Http404 from None
    return render(request, "portal/finder/list.html", _finder_context(
        heading=found.name, introduction="", services=services, kind="category"))


def life_situation(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found, services = queries.finder_life_situation(code)
    except NotFound:
        raise Http404 from None
    return render(request, "portal/finder/list.html", _finder_context(
        heading=found.name, introduction=found.introduction, services=services, kind="situation"))


def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    services = queries.finder_search(text, get_language() or "fi") if text else []
    return render(request, "portal/finder/search.html", _finder_context(query=text, services=services))


def service(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found = queries.finder_service(code)
    except NotFound:
        raise Http404 from None
    return render(request, "portal/finder/service.html", _finder_context(
        service=found, forms=_forms_of(found)))


def _forms_of(service) -> list[dict]:
    """The electronic forms that file under the service, each with where to fill it.

    The forms app is optional here: without it (or its query) the page simply lists no forms."""
    try:
        from aspa.eforms.queries import forms_for_service
    except ImportError:
        return []
    try:
        forms = forms_for_service(service)
    except AttributeError:
        return []
    return [{"title": str(form), "url": _form_url(form)} for form in forms]


def _form_url(form) -> str:
    if hasattr(form, "get_absolute_url"):
        return form.get_absolute_url()
    try:
        return reverse("eforms:fill", kwargs={"code": form.code})
    except NoReverseMatch:
        return ""
