"""The resident's contacts with the customer service centre."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aspa.audit.reads import Reader
from aspa.contacts import queries as contact_queries
from aspa.contacts.outcome_words import contact_outcome
from aspa.portal import acting
from aspa.portal.views.guards import resident_required
from aspa.requests import queries as request_queries


@resident_required
def contact_history(request: HttpRequest) -> HttpResponse:
    """The resident's contacts with the centre: when, how, about what and what came of it.
    The staff's notes are internal and are never read here."""
    party = acting.acting_party_or_none(request)
    rows = []
    if party is not None:
        contacts = list(contact_queries.list_contacts(Reader.of(request), party=party.pk)[:200])
        linked = {linked.pk for contact in contacts for linked in contact.request_list}
        # Only requests the resident may open are linked (a contact may mention someone else's).
        visible = request_queries.visible_request_ids(request.user, linked)
        rows = [{"contact": contact, "topics": [topic.name for topic in contact.topic_list],
                 "outcome": contact_outcome(contact.outcome),
                 "requests": [linked for linked in contact.request_list if linked.pk in visible]}
                for contact in contacts]
    return render(request, "portal/contacts/history.html", {"rows": rows, "current": "contacts"})
