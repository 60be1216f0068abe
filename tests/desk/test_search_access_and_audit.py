"""Only staff search the customer register, each sees only the customers their role allows,
and every customer the search shows is written to the audit log."""

from django.test import Client

from aspa.audit.models import AuditAction, AuditEntry
from tests.desk.customer_world import history_request, person


def test_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get("/desk/search/", {"q": "virtanen"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_resident_may_not_search(world, signed_in):
    person()
    response = signed_in(world.resident).get("/desk/search/", {"q": "hämäläinen"})
    assert response.status_code == 403
    assert "Hämäläinen" not in response.content.decode()


def test_expert_finds_only_customers_of_their_department(world, signed_in, catalogue):
    theirs = person("Maija", "Hämäläinen", phone=None, email=None)
    history_request(theirs, service=catalogue.permit)
    other = person("Matti", "Hämäläinen", phone=None, email=None)
    history_request(other, service=catalogue.advice)
    page = signed_in(world.expert).get("/desk/search/", {"q": "hämäläinen"}).content.decode()
    assert f"/desk/customers/{theirs.pk}/" in page
    assert f"/desk/customers/{other.pk}/" not in page


def test_expert_does_not_find_requests_outside_their_department(world, signed_in):
    client = signed_in(world.expert)
    page = client.get("/desk/search/", {"q": world.mine.number}).content.decode()
    assert f"/desk/requests/{world.mine.number}/" not in page
    page = client.get("/desk/search/", {"q": world.building.number}).content.decode()
    assert f"/desk/requests/{world.building.number}/" in page


def test_every_customer_shown_is_audited_with_the_purpose(world, signed_in):
    first = person("Maija", "Hämäläinen", phone=None, email=None)
    second = person("Mikko", "Hämäläinen", phone=None, email=None)
    signed_in(world.advisor).get("/desk/search/", {"q": "hämäläinen"}, headers={"HX-Request": "true"})
    rows = AuditEntry.objects.filter(action=AuditAction.READ, object_type="party")
    assert sorted(rows.values_list("party_id", flat=True)) == sorted([first.pk, second.pk])
    assert {row.purpose for row in rows} == {"desk search"}
    assert {row.actor_id for row in rows} == {world.advisor.pk}


def test_a_search_that_finds_nobody_leaves_no_read_rows(world, signed_in):
    signed_in(world.advisor).get("/desk/search/", {"q": "nobody by this name"})
    assert not AuditEntry.objects.filter(object_type="party").exists()
