"""The customer view shows an advisor everything about a customer on one page: details,
requests, every contact and the documents; the identity code stays masked until revealed,
and both the opening and the revealing are in the audit log."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aspa.audit.models import AuditAction, AuditEntry
from aspa.customers.models import Party
from aspa.identity.access import mask_national_id
from aspa.identity.models import Role
from aspa.requests.models import Status
from tests.desk.customer_world import give_details, give_history, history_request, person
from tests.factories.identity import UserFactory

HTMX = {"HX-Request": "true"}


def page_of(client, party: Party, **params) -> str:
    response = client.get(f"/desk/customers/{party.pk}/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def maija(world, catalogue):
    party = person("Maija", "Hämäläinen", language="sv", contact_preference=Party.Preference.SMS)
    give_details(catalogue, party)
    return party


def test_page_shows_the_details_of_the_customer(world, signed_in, maija):
    page = page_of(signed_in(world.advisor), maija)
    assert "<h1>Maija Hämäläinen</h1>" in page
    assert "Person" in page
    assert 'href="tel:+358401234567"' in page
    assert 'href="mailto:maija.hamalainen@example.fi"' in page
    assert "Kauppurienkatu 5, 90100 Oulu" in page
    assert "Swedish" in page
    assert "Text message" in page
    assert "Ikäihmiset (en)" in page  # the segment, in the page's language
    assert "Rakennuslupa (en)" in page and "Omakotitalo" in page  # the customership
    assert "email-notifications: given" in page
    assert f'href="/desk/contacts/new/?party={maija.pk}"' in page


def test_open_and_past_requests_show_status_in_words_due_date_and_link(world, signed_in, catalogue, maija):
    open_request = history_request(maija, status=Status.WAITING, service=catalogue.permit)
    past = history_request(maija, status=Status.RESOLVED)
    page = page_of(signed_in(world.advisor), maija)
    open_part, past_part = page.split('id="past-requests"')
    assert f'href="/desk/requests/{open_request.number}/"' in open_part
    assert "Waiting for the customer" in open_part
    assert "Rakennuslupa (en)" in open_part
    assert f'href="/desk/requests/{past.number}/"' in past_part
    assert "Resolved" in past_part


def test_every_contact_and_document_is_listed(world, signed_in, catalogue, maija):
    [service_request] = give_history(catalogue, maija, world.colleague, 1)
    page = page_of(signed_in(world.advisor), maija)
    contacts = page.split('id="contacts"')[1].split('id="documents"')[0]
    assert "phone" in contacts  # the channel
    assert "Yleisneuvonta (en)" in contacts  # the topic
    assert "Answered at first contact" in contacts
    assert "Kalle Kollega" in contacts
    assert f'href="/desk/requests/{service_request.number}/"' in contacts
    documents = page.split('id="documents"')[1]
    assert "liite-0.pdf" in documents
    assert service_request.number in documents


def test_long_history_shows_twenty_rows_and_a_link_to_all(world, signed_in, catalogue, maija):
    give_history(catalogue, maija, world.colleague, 25)
    client = signed_in(world.advisor)
    page = page_of(client, maija)
    assert page.count("liite-") == 20
    assert 'href="?all=documents#documents"' in page
    assert 'href="?all=contacts#contacts"' in page
    assert 'href="?all=past#past-requests"' in page
    everything = page_of(client, maija, all=["documents", "contacts", "past"])
    assert everything.count("liite-") == 25
    assert "Show all" not in everything


def test_identity_code_is_masked_until_revealed(world, signed_in, maija):
    page = page_of(signed_in(world.advisor), maija)
    assert mask_national_id(maija.national_id) in page
    assert maija.national_id not in page
    assert "Show identity code" in page


def test_opening_the_view_is_audited(world, signed_in, maija):
    page_of(signed_in(world.advisor), maija)
    row = AuditEntry.objects.get(object_type="party", action=AuditAction.READ)
    assert (row.party_id, row.actor_id, row.purpose) == (maija.pk, world.advisor.pk, "desk customer view")


def test_advisor_reveals_the_identity_code_and_it_is_audited(world, signed_in, maija):
    response = signed_in(world.advisor).post(f"/desk/customers/{maija.pk}/identity-code/", headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert maija.national_id in fragment
    assert "<html" not in fragment
    row = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (row.party_id, row.actor_id, row.object_type) == (maija.pk, world.advisor.pk, "party")


def test_without_javascript_revealing_shows_the_whole_page_with_the_code(world, signed_in, maija):
    response = signed_in(world.advisor).post(f"/desk/customers/{maija.pk}/identity-code/")
    page = response.content.decode()
    assert "<h1>Maija Hämäläinen</h1>" in page
    assert maija.national_id in page
    assert "Show identity code" not in page
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, party_id=maija.pk).count() == 1


def test_revealing_needs_the_form_token(world, maija):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.advisor)
    response = client.post(f"/desk/customers/{maija.pk}/identity-code/", headers=HTMX)
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_revealing_is_a_post(world, signed_in, maija):
    response = signed_in(world.advisor).get(f"/desk/customers/{maija.pk}/identity-code/")
    assert response.status_code == 405


def test_expert_sees_their_departments_customer_masked_and_cannot_reveal(world, signed_in, catalogue, maija):
    history_request(maija, service=catalogue.permit)
    client = signed_in(world.expert)
    page = page_of(client, maija)
    assert mask_national_id(maija.national_id) in page
    assert "Show identity code" not in page
    response = client.post(f"/desk/customers/{maija.pk}/identity-code/", headers=HTMX)
    assert response.status_code == 403
    assert maija.national_id not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_expert_does_not_find_a_customer_outside_their_department(world, signed_in, maija):
    client = signed_in(world.expert)
    assert client.get(f"/desk/customers/{maija.pk}/").status_code == 404
    assert client.post(f"/desk/customers/{maija.pk}/identity-code/").status_code == 404
    assert not AuditEntry.objects.filter(party_id=maija.pk).exists()


def test_expert_sees_only_their_departments_requests_of_the_customer(world, signed_in, catalogue, maija):
    theirs = history_request(maija, service=catalogue.permit)
    centres = history_request(maija, service=catalogue.advice)
    page = page_of(signed_in(world.expert), maija)
    assert theirs.number in page
    assert centres.number not in page


def test_supervisor_may_reveal(world, signed_in, catalogue, maija):
    supervisor = UserFactory(role=Role.SUPERVISOR, department=catalogue.centre)
    response = signed_in(supervisor).post(f"/desk/customers/{maija.pk}/identity-code/", headers=HTMX)
    assert maija.national_id in response.content.decode()


def test_non_disclosed_address_is_hidden_from_the_advisor_but_not_the_supervisor(world, signed_in, catalogue):
    protected = person("Salla", "Suojattu", non_disclosure=True)
    page = page_of(signed_in(world.advisor), protected)
    assert "Kauppurienkatu" not in page
    assert "the address is hidden" in page
    assert 'href="tel:+358401234567"' in page  # phone and email are not covered by the non-disclosure
    supervisor = UserFactory(role=Role.SUPERVISOR, department=catalogue.centre)
    page = page_of(signed_in(supervisor), protected)
    assert "Kauppurienkatu 5" in page
    assert "never give this address to anyone" in page


def test_resident_and_anonymous_visitor_are_turned_away(world, signed_in, maija):
    assert signed_in(world.resident).get(f"/desk/customers/{world.customer.pk}/").status_code == 403
    response = Client().get(f"/desk/customers/{maija.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_missing_customer_is_not_found(world, signed_in):
    assert signed_in(world.advisor).get("/desk/customers/999999/").status_code == 404


def test_organisation_shows_its_business_id_and_contact_persons(world, signed_in):
    from tests.factories.customers import ContactPersonFactory

    link = ContactPersonFactory(person=person("Olli", "Omistaja", phone=None, email=None, street=None))
    page = page_of(signed_in(world.advisor), link.organisation)
    assert link.organisation.business_id in page
    assert f'href="/desk/customers/{link.person_id}/"' in page
    assert "Show identity code" not in page


def count_queries(client, party: Party) -> int:
    with CaptureQueriesContext(connection) as queries:
        page_of(client, party)
    return len(queries)


def test_query_count_does_not_grow_with_the_history(world, signed_in, catalogue):
    client = signed_in(world.advisor)
    short = person("Lyhyt", "Historia", phone="+358401111111", email="lyhyt@example.fi")
    give_details(catalogue, short)
    give_history(catalogue, short, world.colleague, 3)
    history_request(short, status=Status.RECEIVED)
    long = person("Pitka", "Historia", phone="+358402222222", email="pitka@example.fi")
    give_details(catalogue, long)
    give_history(catalogue, long, world.colleague, 30)
    for _open in range(5):
        history_request(long, status=Status.RECEIVED)
    count_queries(client, short)  # the first request of a session loads what later ones reuse
    short_count = count_queries(client, short)
    assert short_count == count_queries(client, long)
    assert short_count <= 15, short_count
