"""The contact list agents open all day: filters, sorting, pages, audit rows, a fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspa.audit.models import AuditEntry
from aspa.identity.models import Role
from tests.factories.contacts import (
    ContactFactory,
    PersonFactory,
    ServiceRequestFactory,
    resident_with_party,
    token_client,
)
from tests.factories.identity import UserFactory


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def _day(days_ago: int, hour: int = 10) -> datetime.datetime:
    local = timezone.localtime() - datetime.timedelta(days=days_ago)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def contacts(catalogue):
    customer = PersonFactory()
    phone_advisor = UserFactory(username="puhelin")
    return {
        "phone": ContactFactory(party=customer, staff=phone_advisor, started_at=_day(1), topics=[catalogue.permit]),
        "visit": ContactFactory(party=None, channel=catalogue.service_point, started_at=_day(5), outcome="redirected",
                                topics=[catalogue.advice]),
        "email": ContactFactory(party=customer, channel=catalogue.email, started_at=_day(30), outcome="request_filed",
                                requests=[ServiceRequestFactory()]),
        "customer": customer,
    }


def test_list_is_newest_first(advisor_api, contacts):
    assert _ids(advisor_api.get("contacts")) == [contacts["phone"].pk, contacts["visit"].pk, contacts["email"].pk]


@pytest.mark.parametrize("params,expected", [
    (lambda c: {"channel": "phone"}, ["phone"]),
    (lambda c: {"party": c["customer"].pk}, ["phone", "email"]),
    (lambda c: {"staff": "puhelin"}, ["phone"]),
    (lambda c: {"outcome": "redirected"}, ["visit"]),
    (lambda c: {"topic": "rakennuslupa"}, ["phone"]),
    (lambda c: {"date_from": _day(6).date().isoformat()}, ["phone", "visit"]),
    (lambda c: {"date_to": _day(2).date().isoformat()}, ["visit", "email"]),
    (lambda c: {"date_from": _day(6).date().isoformat(), "date_to": _day(4).date().isoformat()}, ["visit"]),
])
def test_list_filters(advisor_api, contacts, params, expected):
    assert _ids(advisor_api.get("contacts", params(contacts))) == [contacts[name].pk for name in expected]


@pytest.mark.parametrize("params,field", [
    ({"channel": "pigeon"}, "channel"), ({"topic": "nope"}, "topic"), ({"outcome": "maybe"}, "outcome"),
    ({"sort": "notes"}, "sort"), ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_to"),
    ({"page_size": 1000}, "page_size"),
])
def test_bad_filters_are_refused_naming_the_field(advisor_api, contacts, params, field):
    response = advisor_api.get("contacts", params)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_list_sorts_and_pages(advisor_api, contacts):
    response = advisor_api.get("contacts", {"sort": "started_at", "page": 2, "page_size": 2})
    body = response.json()
    assert body["count"] == 3
    assert body["page"] == 2
    assert _ids(response) == [contacts["phone"].pk]


def test_staff_reading_the_list_writes_one_audit_row_per_contact_with_a_customer(advisor_api, contacts):
    advisor_api.get("contacts")
    rows = AuditEntry.objects.filter(object_type="contact", action="read")
    assert {(r.object_id, r.party_id) for r in rows} == {
        (str(contacts["phone"].pk), contacts["customer"].pk), (str(contacts["email"].pk), contacts["customer"].pk),
    }
    assert {r.actor_id for r in rows} == {advisor_api.user.pk}


def test_staff_reading_one_contact_is_audited(advisor_api, contacts):
    advisor_api.get(f"contacts/{contacts['phone'].pk}")
    entry = AuditEntry.objects.get(object_type="contact", action="read")
    assert entry.object_id == str(contacts["phone"].pk)
    assert entry.party_id == contacts["customer"].pk
    assert entry.purpose.startswith("GET /api/v1/contacts/")


def test_anonymous_contacts_and_resident_reads_write_no_audit_rows(advisor_api, contacts):
    advisor_api.get(f"contacts/{contacts['visit'].pk}")
    resident, party = resident_with_party()
    own = ContactFactory(party=party)
    token_client(resident).get("contacts")
    token_client(resident).get(f"contacts/{own.pk}")
    assert not AuditEntry.objects.filter(object_type="contact", action="read").exists()


def test_list_query_count_does_not_grow_with_the_page(advisor_api, catalogue):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert advisor_api.get("contacts", {"page_size": 100}).status_code == 200
        return len(captured)

    ContactFactory(topics=[catalogue.advice], requests=[ServiceRequestFactory()])
    count_queries()  # the first call also notes when the token was last used
    few = count_queries()
    for _ in range(15):
        ContactFactory(topics=[catalogue.advice, catalogue.permit], requests=[ServiceRequestFactory()])
    assert count_queries() == few
    assert few <= 8


def test_resident_list_is_paginated_too(db, catalogue):
    resident, party = resident_with_party()
    for _ in range(3):
        ContactFactory(party=party)
    body = token_client(resident).get("contacts", {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2


def test_supervisor_filters_by_role_scope_and_channel_together(api, contacts):
    ids = _ids(api(Role.SUPERVISOR).get("contacts", {"channel": "email", "outcome": "request_filed"}))
    assert ids == [contacts["email"].pk]
