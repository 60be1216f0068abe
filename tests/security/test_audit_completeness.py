"""Every read of a customer's personal data by staff leaves an audit row: who (the actor),
which object, whose data (party_id) and why (the endpoint). The table below lists the
reads; a guard fails when a new GET endpoint about customers, requests or contacts appears
without a row here."""

import pytest
from django.test import Client

from aspa.audit.models import AuditAction, AuditEntry
from aspa.identity.models import Role
from tests.factories.identity import UserFactory
from tests.security.world import World, world_fixture  # noqa: F401 (fixture)

# (path template, object type written to the log, which of the world's objects is read)
AUDITED_API_READS = [
    ("/api/v1/parties", "party", "party"),
    ("/api/v1/parties/{party_id}", "party", "party"),
    ("/api/v1/parties/{party_id}/customerships", "party", "party"),
    ("/api/v1/requests", "service_request", "request"),
    ("/api/v1/requests/{request_id}", "service_request", "request"),
    ("/api/v1/requests/{request_id}/events", "service_request", "request"),
    ("/api/v1/requests/{request_id}/messages", "service_request", "request"),
    ("/api/v1/requests/{request_id}/attachments", "service_request", "request"),
    ("/api/v1/requests/{request_id}/attachments/{attachment_id}", "service_request", "request"),
    ("/api/v1/contacts", "contact", "contact"),
    ("/api/v1/contacts/{contact_id}", "contact", "contact"),
    ("/api/v1/forms/submissions/{request_id}", "form_submission", "submission"),
]

AUDITED_ADMIN_READS = [
    ("/admin/customers/party/{party_id}/change/", "party", "party"),
    ("/admin/requests/servicerequest/{request_pk}/change/", "service_request", "request"),
    ("/admin/contacts/contact/{contact_id}/change/", "contact", "contact"),
]

# GET routes under these prefixes answer with a customer's personal data.
PERSONAL_DATA_PREFIXES = ("/api/v1/parties", "/api/v1/requests", "/api/v1/contacts", "/api/v1/forms/submissions")

STAFF_ROLES = [Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION]


def _url(template: str, world: World) -> str:
    side = world.a
    return template.format(party_id=side.party.pk, request_id=side.request.number, request_pk=side.request.pk,
                           attachment_id=side.attachment.pk, contact_id=side.contact.pk)


def _assert_audited(user, object_type: str, obj, party_id: int, path: str) -> None:
    entries = AuditEntry.objects.filter(actor=user, action=AuditAction.READ, object_type=object_type,
                                        object_id=str(obj.pk))
    assert entries.exists(), f"{path} left no audit row for {object_type} {obj.pk}"
    entry = entries.get()
    assert entry.party_id == party_id
    assert entry.actor_role == user.role
    assert path in entry.purpose, entry.purpose
    assert entry.actor_label == user.get_username()


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("template,object_type,attribute", AUDITED_API_READS, ids=[r[0] for r in AUDITED_API_READS])
def test_staff_read_of_personal_data_is_audited(template, object_type, attribute, role, world, api):
    # An expert of the department that handles object "a": they may read it.
    client = api(role, department=world.catalogue.building if role == Role.EXPERT else None)
    path = _url(template, world)
    response = client.get(path)
    assert response.status_code == 200
    _assert_audited(client.user, object_type, getattr(world.a, attribute), world.a.party.pk, path)


@pytest.mark.parametrize("template,object_type,attribute", AUDITED_ADMIN_READS,
                         ids=[r[0] for r in AUDITED_ADMIN_READS])
def test_opening_a_customer_record_in_the_admin_is_audited(template, object_type, attribute, world):
    administrator = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(administrator)
    path = _url(template, world)
    response = browser.get(path)
    assert response.status_code == 200
    _assert_audited(administrator, object_type, getattr(world.a, attribute), world.a.party.pk, path)


def test_lists_write_one_row_per_customer_shown(world, api):
    advisor = api(Role.ADVISOR)
    advisor.get("requests", {"page_size": 200})
    logged = set(AuditEntry.objects.filter(actor=advisor.user, object_type="service_request")
                 .values_list("party_id", flat=True))
    assert logged == {world.a.party.pk, world.b.party.pk}


def test_a_refused_read_writes_no_audit_row(world, api):
    outsider = api(Role.EXPERT, department=world.catalogue.centre)
    assert outsider.get(_url("/api/v1/parties/{party_id}", world)).status_code == 404
    assert not AuditEntry.objects.filter(actor=outsider.user, party_id=world.a.party.pk).exists()


def test_every_personal_data_read_endpoint_is_in_the_audit_table(db):
    document = Client().get("/api/v1/openapi.json").json()
    reads = {path for path, operations in document["paths"].items()
             if "get" in operations and path.startswith(PERSONAL_DATA_PREFIXES)}
    audited = {template for template, _type, _attribute in AUDITED_API_READS}
    assert reads - audited == set(), "A new endpoint returns personal data: audit it and add it to the table"
    assert audited - reads == set(), "The table names endpoints that no longer exist"
