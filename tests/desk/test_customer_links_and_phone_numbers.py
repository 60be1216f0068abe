"""Customers are one click away wherever a request names them, and phone numbers read the way
staff say them aloud while the tel: link dials the full international number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspa.customers.models import ContactPoint
from aspa.requests.operations import forward
from tests.desk.contact_factories import ContactRequestFactory, make_contact_world
from tests.factories.requests import PersonFactory, file

pytestmark = pytest.mark.django_db


def customer_link(party) -> str:
    return f'<a class="hds-link" href="/desk/customers/{party.pk}/">{party.display_name}</a>'


def test_request_page_links_the_customer_to_their_desk_page(world, signed_in):
    page = signed_in(world.advisor).get(f"/desk/requests/{world.mine.number}/").content.decode()
    assert customer_link(world.customer) in page


def test_request_lists_link_each_customer(world, signed_in, catalogue):
    advisor_page = signed_in(world.advisor).get("/desk/requests/?view=mine").content.decode()
    assert customer_link(world.customer) in advisor_page
    forward(world.advisor, file(world.advisor, party=world.customer.pk), version=1, to_department="rakennusvalvonta")
    inbox = signed_in(world.expert).get("/desk/inbox/").content.decode()
    assert customer_link(world.customer) in inbox


def test_an_anonymous_request_names_its_contact_without_a_link(world, signed_in):
    anonymous = file(world.advisor, contact_name="Matti Soittaja", contact_phone="0401234567")
    page = signed_in(world.advisor).get(f"/desk/requests/{anonymous.number}/").content.decode()
    assert "Matti Soittaja" in page and "/desk/customers/" not in page.split("<main", 1)[1].split("Actions")[0]
    assert '<a class="hds-link" href="tel:+358401234567">040 1234567</a>' in page


def test_customer_view_shows_phone_numbers_in_the_national_format_with_an_international_tel_link(
        signed_in, catalogue):
    world = make_contact_world(catalogue)
    ContactPoint.objects.create(party=world.desk.customer, kind=ContactPoint.Kind.PHONE, value="+46701234567")
    page = signed_in(world.desk.advisor).get(f"/desk/customers/{world.desk.customer.pk}/").content.decode()
    assert '<a class="hds-link" href="tel:+358401234567">040 1234567</a>' in page
    # A Swedish number is not Finnish: it keeps its country code when shown.
    assert '<a class="hds-link" href="tel:+46701234567">+46 70 123 45 67</a>' in page


def test_contact_request_list_links_the_customer_and_formats_the_phone(signed_in, catalogue):
    world = make_contact_world(catalogue)
    ContactRequestFactory(party=world.desk.customer, assignee=world.desk.advisor, created_by=world.desk.advisor)
    page = signed_in(world.desk.advisor).get("/desk/contacts/requests/?scope=all").content.decode()
    assert customer_link(world.desk.customer) in page
    assert 'href="tel:+358401234567">040 1234567</a>' in page


def test_my_requests_list_query_count_does_not_grow_with_linked_customers(world, signed_in):
    client = signed_in(world.advisor)
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/requests/?view=unassigned")
    for _extra in range(5):
        file(world.advisor, party=PersonFactory().pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/desk/requests/?view=unassigned")
    assert response.content.decode().count('href="/desk/customers/') >= 5
    # One more for the audit rows of the customers' requests; none per row.
    assert len(many) <= len(few) + 1
