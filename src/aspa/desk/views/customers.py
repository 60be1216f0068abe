"""The desk's one search box and the customer view. Reads go through the domain queries
(which authorise and write every customer shown to staff to the audit log, with why)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from aspa.audit.reads import Reader
from aspa.customers.models import Party
from aspa.customers.queries import get_party_for, reveal_national_id_for
from aspa.desk import customer_queries, queries
from aspa.desk.access import desk_user_required
from aspa.errors import Forbidden, NotFound

SEARCH_PURPOSE = "desk search"
VIEW_PURPOSE = "desk customer view"
REVEAL_PURPOSE = "desk identity code shown"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
@desk_user_required
def search(request: HttpRequest) -> HttpResponse:
    """Results while typing (an htmx fragment under the search box), or a whole page without JavaScript."""
    results = customer_queries.search(Reader.of(request, purpose=SEARCH_PURPOSE), request.GET.get("q"))
    context = {
        "results": results,
        "customers": [{"party": party, "identity": customer_queries.identity_for_list(party)}
                      for party in results.customers],
        "search_query": results.query,
        "desk_queues": queries.QUEUES,
        "current": "search",
    }
    template = "desk/customers/_search_panel.html" if _is_htmx(request) else "desk/customers/search.html"
    response = render(request, template, context)
    # The same address answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _party_or_404(request: HttpRequest, party_id: int) -> Party:
    """The customer, for the customer view: its read is written to the audit log."""
    try:
        return get_party_for(Reader.of(request, purpose=VIEW_PURPOSE), party_id)
    except NotFound as missing:
        raise Http404 from missing


def _show_all(request: HttpRequest) -> set[str]:
    return {section for section in request.GET.getlist("all") if section in customer_queries.HISTORY_SECTIONS}


def _render_customer(request: HttpRequest, party: Party, *, revealed: bool = False) -> HttpResponse:
    show_all = _show_all(request)
    return render(request, "desk/customers/detail.html", {
        "view": customer_queries.customer_view(request.user, party, show_all),
        "party": party,
        "identity": customer_queries.identity_for_list(party),
        "may_reveal": customer_queries.may_reveal_identity_code(request.user, party),
        "revealed": revealed,
        "show_all": show_all,
        "desk_queues": queries.QUEUES,
        "current": "",
    })


@require_GET
@desk_user_required
def customer_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    return _render_customer(request, _party_or_404(request, party_id))


@require_POST
@desk_user_required
def reveal_identity_code(request: HttpRequest, party_id: int) -> HttpResponse:
    """The whole henkilötunnus, for the roles that need it; every showing is logged."""
    try:
        party = reveal_national_id_for(Reader.of(request, purpose=REVEAL_PURPOSE), party_id)
    except NotFound as missing:
        raise Http404 from missing
    except Forbidden as refusal:
        raise PermissionDenied from refusal
    if _is_htmx(request):
        return render(request, "desk/customers/_identity_code.html", {"party": party, "revealed": True})
    # Without JavaScript the form posted the whole page: show it again with the code (a view, read again).
    return _render_customer(request, _party_or_404(request, party_id), revealed=True)
