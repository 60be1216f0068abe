"""The access helpers that hand a person's data to a page or an API client write the audit rows
themselves, so a new page that reads through them cannot forget the log: a staff reader leaves one
row per record handed out (for a list, per row fetched: the page shown), a resident reading their
own data leaves none, and neither does a read marked unaudited."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from aspa.audit.models import AuditAction, AuditEntry
from aspa.audit.reads import Reader
from aspa.contacts import queries as contact_queries
from aspa.customers import queries as customer_queries
from aspa.desk import queries as desk_queries
from aspa.eforms import queries as form_queries
from aspa.identity.models import Role
from aspa.requests import queries as request_queries
from tests.desk.contact_factories import ContactRequestFactory
from tests.factories.identity import UserFactory
from tests.security.world import World, world_fixture  # noqa: F401 (fixture)

PURPOSE = "a page not yet written"

# (what the helper reads, the object type in the log, the action, which of side "a"'s objects)
SINGLE_READS = [
    (lambda reader, a: request_queries.get_request_for(reader, a.request.number), "service_request",
     AuditAction.READ, "request"),
    (lambda reader, a: customer_queries.get_party_for(reader, a.party.pk), "party", AuditAction.READ, "party"),
    (lambda reader, a: customer_queries.customerships_for(reader, a.party.pk), "party", AuditAction.READ, "party"),
    (lambda reader, a: contact_queries.get_contact_for(reader, a.contact.pk), "contact", AuditAction.READ,
     "contact"),
    (lambda reader, a: form_queries.submission_of_request(reader, a.request.number), "form_submission",
     AuditAction.READ, "submission"),
    (lambda reader, a: customer_queries.reveal_national_id_for(reader, a.party.pk), "party", AuditAction.REVEAL,
     "party"),
]
SINGLE_IDS = ["get_request_for", "get_party_for", "customerships_for", "get_contact_for", "submission_of_request",
              "reveal_national_id_for"]

# Lists: each is narrowed to side "a"'s customer where it can be, so one row is one record of theirs.
LISTS = [
    (lambda reader, a: request_queries.list_requests(reader, request_queries.RequestFilters(party=a.party.pk)),
     "service_request", "request"),
    (lambda reader, a: customer_queries.find_parties(reader, national_id=a.party.national_id), "party", "party"),
    (lambda reader, a: contact_queries.list_contacts(reader, party=a.party.pk), "contact", "contact"),
]
LIST_IDS = ["list_requests", "find_parties", "list_contacts"]


def _reader(user, **kwargs) -> Reader:
    http_request = RequestFactory().get("/desk/somewhere", REMOTE_ADDR="192.0.2.10")
    http_request.user = user
    return Reader.of(http_request, **kwargs)


def _rows(user):
    return AuditEntry.objects.filter(actor=user)


@pytest.fixture
def advisor(db):
    return UserFactory(role=Role.ADVISOR)


@pytest.mark.parametrize("read,object_type,action,attribute", SINGLE_READS, ids=SINGLE_IDS)
def test_a_staff_readers_read_leaves_one_row_with_who_what_whose_why_and_where(read, object_type, action,
                                                                                attribute, world, advisor):
    read(_reader(advisor, purpose=PURPOSE), world.a)
    entry = _rows(advisor).get()
    assert (entry.action, entry.object_type) == (action, object_type)
    assert entry.object_id == str(getattr(world.a, attribute).pk)
    assert entry.party_id == world.a.party.pk
    assert (entry.actor_label, entry.actor_role) == (advisor.get_username(), Role.ADVISOR)
    assert entry.purpose == PURPOSE
    assert entry.ip_address == "192.0.2.10"


def test_without_a_purpose_the_log_names_the_method_and_the_address(world, advisor):
    request_queries.get_request_for(_reader(advisor), world.a.request.number)
    assert _rows(advisor).get().purpose == "GET /desk/somewhere"


@pytest.mark.parametrize("listed,object_type,attribute", LISTS, ids=LIST_IDS)
def test_a_list_logs_the_rows_fetched_once_and_nothing_for_counting(listed, object_type, attribute, world, advisor):
    found = listed(_reader(advisor, purpose=PURPOSE), world.a)
    assert found.count() == 1
    assert found.exists()
    assert not _rows(advisor).exists(), "counting reads no record"
    page = found.order_by("pk")[:1]
    assert len(page) == 1
    list(page)  # iterating the fetched page again is the same read
    entry = _rows(advisor).get()
    assert (entry.action, entry.object_type, entry.party_id) == (AuditAction.READ, object_type, world.a.party.pk)
    assert entry.object_id == str(getattr(world.a, attribute).pk)
    assert entry.purpose == PURPOSE


def test_a_page_logs_only_its_own_rows(world, advisor):
    everyone = request_queries.list_requests(_reader(advisor))
    assert everyone.count() == 2
    [shown] = everyone.order_by("pk")[:1]
    assert list(_rows(advisor).values_list("object_id", flat=True)) == [str(shown.pk)]


def test_the_desk_queue_and_inbox_log_what_they_show(world, advisor):
    queue = list(desk_queries.queue_requests(_reader(advisor), desk_queries.QueueKey.UNASSIGNED))
    assert set(_rows(advisor).values_list("object_id", flat=True)) == {str(item.pk) for item in queue}
    assert queue


def test_the_contact_request_list_logs_each_rows_customer(world, advisor):
    contact_request = ContactRequestFactory(party=world.a.party, assignee=advisor)
    [shown] = contact_queries.list_contact_requests(_reader(advisor, purpose="contact_request_list"))
    assert shown == contact_request
    entry = _rows(advisor).get()
    assert (entry.object_type, entry.object_id, entry.party_id) == ("party", str(world.a.party.pk), world.a.party.pk)


@pytest.mark.parametrize("read,object_type,action,attribute", SINGLE_READS[:-1], ids=SINGLE_IDS[:-1])
def test_a_resident_reading_their_own_data_leaves_no_row(read, object_type, action, attribute, world):
    resident = world.a.resident
    assert read(_reader(resident), world.a)
    assert not _rows(resident).exists()


# find_parties is the staff's search; a resident has no list of customers.
@pytest.mark.parametrize("listed,object_type,attribute", LISTS[::2], ids=LIST_IDS[::2])
def test_a_residents_own_lists_leave_no_row(listed, object_type, attribute, world):
    resident = world.a.resident
    assert len(list(listed(_reader(resident), world.a))) == 1
    assert not _rows(resident).exists()


@pytest.mark.parametrize("read,object_type,action,attribute", SINGLE_READS, ids=SINGLE_IDS)
def test_a_read_marked_unaudited_leaves_no_row(read, object_type, action, attribute, world, advisor):
    read(Reader.unaudited(advisor), world.a)
    list(request_queries.list_requests(Reader.unaudited(advisor)))
    assert not _rows(advisor).exists()


def test_an_api_callers_reader_is_the_token_holder(world, advisor):
    http_request = RequestFactory().get("/api/v1/requests")
    http_request.auth = advisor  # what the bearer authentication sets; request.user stays anonymous
    http_request.user = AnonymousUser()
    reader = Reader.of(http_request)
    assert reader.user == advisor
    request_queries.get_request_for(reader, world.a.request.number)
    assert _rows(advisor).get().purpose == "GET /api/v1/requests"
