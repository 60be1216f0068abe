"""The document bank: the decisions and resolutions of the resident's errands."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aspa.portal import acting
from aspa.portal.views.guards import resident_required
from aspa.requests import queries as request_queries


@resident_required
def documents(request: HttpRequest) -> HttpResponse:
    """The document bank: decisions and resolutions of the errands, the newest first."""
    party = acting.acting_party_or_none(request)
    entries: list[dict] = []
    if party is not None:
        entries += [{"at": document.created_at, "item": document.request, "document": document}
                    for document in request_queries.decision_documents(request.user, party.pk)]
        entries += [{"at": item.resolved_at, "item": item, "resolution": item.resolution}
                    for item in request_queries.resolutions_of(request.user, party.pk)]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return render(request, "portal/documents/list.html", {"entries": entries, "current": "documents"})
