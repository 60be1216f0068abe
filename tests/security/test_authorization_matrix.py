"""Every endpoint checks the role and the object: one table of who may call what, run for
every role, and a guard that fails when an endpoint is added without a row here.

Objects are the world's object "a" (a request of the building department, its customer,
contact, message, attachment, form answers and process task) and an internal article. An expert of the building department may work on it; an
expert of another department gets 404, as if it did not exist, and never finds it in a list."""

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.security.world import ROLES, World, client_for_fixture, world_fixture  # noqa: F401 (fixtures)


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    # Expected status for each of ROLES, in that order; anonymous callers always get 401.
    statuses: str
    body: object = None  # a dict, or a function of the world that returns one
    # For lists: the roles that find object "a" among the items (the others must not).
    lists_a: frozenset = field(default_factory=frozenset)
    # What a caller with no credentials gets: 401, except where a partner signs its requests.
    anonymous: int = 401

    def expected(self, role: str) -> int:
        return int(self.statuses.split()[ROLES.index(role)])


ALL_STAFF = frozenset({"advisor", "expert", "supervisor", "admin", "integration"})

#                                                              resident advisor expert other_expert supervisor admin integration
MATRIX = [
    Row("GET", "/api/v1/departments", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/services", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/segments", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/channels", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/request-types", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/organisations", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/audit", "403 403 403 403 200 200 403"),
    # --- customers
    Row("GET", "/api/v1/parties", "403 200 200 200 200 200 200", lists_a=ALL_STAFF),
    Row("POST", "/api/v1/parties", "403 201 403 403 201 201 201",
        body={"kind": "person", "first_name": "Uusi", "last_name": "Asiakas"}),
    Row("GET", "/api/v1/parties/{party_id}", "200 200 200 404 200 200 200"),
    Row("PATCH", "/api/v1/parties/{party_id}", "200 200 403 404 200 200 200",
        body=lambda world: {"version": world.a.party.version, "language": "sv"}),
    Row("GET", "/api/v1/parties/{party_id}/customerships", "200 200 200 404 200 200 200"),
    Row("POST", "/api/v1/parties/{party_id}/customerships", "403 201 403 403 201 201 201",
        body={"service": "yleisneuvonta"}),
    Row("PATCH", "/api/v1/parties/{party_id}/customerships/{customership_id}", "403 200 403 403 200 200 200",
        body={"note": "Asiakkuus tarkistettu."}),
    # --- service requests
    Row("GET", "/api/v1/requests", "200 200 200 200 200 200 200", lists_a=ALL_STAFF | {"resident"}),
    Row("POST", "/api/v1/requests", "201 201 201 201 201 201 201",
        body={"type": "question", "channel": "web", "service": "yleisneuvonta", "description": "Kysymys."}),
    Row("GET", "/api/v1/requests/{request_id}", "200 200 200 404 200 200 200"),
    Row("PATCH", "/api/v1/requests/{request_id}", "200 200 200 404 200 200 200",
        body=lambda world: {"version": world.a.request.version, "description": "Tarkennettu kuvaus."}),
    Row("POST", "/api/v1/requests/{request_id}/actions", "403 200 200 404 200 200 200",
        body=lambda world: {"action": "take", "version": world.a.request.version}),
    Row("GET", "/api/v1/requests/{request_id}/events", "200 200 200 404 200 200 200"),
    Row("GET", "/api/v1/requests/{request_id}/messages", "200 200 200 404 200 200 200"),
    Row("POST", "/api/v1/requests/{request_id}/messages", "201 201 201 404 201 201 201",
        body={"body": "Lisätietoa asiaan."}),
    Row("GET", "/api/v1/requests/{request_id}/attachments", "200 200 200 404 200 200 200"),
    Row("POST", "/api/v1/requests/{request_id}/attachments", "201 201 201 404 201 201 201", body="multipart"),
    Row("GET", "/api/v1/requests/{request_id}/attachments/{attachment_id}", "200 200 200 404 200 200 200"),
    # --- contacts
    Row("GET", "/api/v1/contacts", "200 200 200 200 200 200 200", lists_a=ALL_STAFF | {"resident"}),
    # Another department's expert may not read customer a, so naming a is like naming no one (422).
    Row("POST", "/api/v1/contacts", "403 201 201 422 201 201 201",
        body=lambda world: {"channel": "phone", "party": world.a.party.pk, "outcome": "answered"}),
    Row("GET", "/api/v1/contacts/{contact_id}", "200 200 200 404 200 200 200"),
    # Only the staff member who recorded a contact, a supervisor or an administrator corrects it.
    Row("PATCH", "/api/v1/contacts/{contact_id}", "403 403 403 404 200 200 403",
        body={"notes": "Korjattu muistiinpano."}),
    # --- electronic forms: for other systems; the answers follow the request's own visibility
    Row("GET", "/api/v1/forms", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/forms/{code}/versions/{number}", "403 200 200 200 200 200 200"),
    Row("GET", "/api/v1/forms/submissions/{request_id}", "403 200 200 404 200 200 200"),
    # --- process tasks: a task of the building department is done by its experts (the advisor,
    # supervisor and integration here belong to no department) or an administrator.
    Row("GET", "/api/v1/processes/tasks", "403 200 200 200 200 200 200", lists_a=frozenset({"expert", "admin"})),
    Row("POST", "/api/v1/processes/tasks/{task_id}/complete", "403 403 200 404 403 200 403",
        body={"choice": "done"}),
    # --- knowledge base: the article here is an internal one; residents read only public ones
    Row("GET", "/api/v1/knowledge/search", "200 200 200 200 200 200 200", body={"q": "rakennuslupa"}),
    Row("GET", "/api/v1/knowledge/articles/{article_id}", "404 200 200 200 200 200 200"),
    Row("GET", "/api/v1/knowledge/experts", "403 200 200 200 200 200 200", body={"q": "rakennuslupa"}),
    # --- the event feed for integrations (aspa.outbox): no personal data, but not for every desk
    Row("GET", "/api/v1/events", "403 403 403 403 200 200 200"),
    # --- routing suggestions
    Row("POST", "/api/v1/routing/suggest", "403 200 200 200 200 200 200",
        body={"text": "Haen rakennuslupaa autotallille", "language": "fi"}),
    # --- the SMS gateway's delivery reports: signed by Twilio (X-Twilio-Signature), so no token or
    # session of Aspa's opens it, and without the signature everyone is refused alike
    Row("POST", "/api/v1/sms/twilio/status", "403 403 403 403 403 403 403", anonymous=403),
    # --- telephony: the contact-centre system's call events come with an integration token only
    # (the unknown queue is refused, 422, after the role passed); the phone figures for supervisors
    Row("POST", "/api/v1/telephony/events", "403 403 403 403 403 403 422",
        body={"event_id": "e1", "call_id": "c1", "type": "offered", "occurred_at": "2026-12-01T09:00:00+02:00",
              "queue": "no-such-queue"}),
    Row("GET", "/api/v1/telephony/figures", "403 403 403 403 200 200 200", body={"day": "2026-12-01"}),
]


def _url(row_path: str, world: World) -> str:
    side = world.a
    return row_path.format(
        party_id=side.party.pk, customership_id=side.customership.pk, request_id=side.request.number,
        attachment_id=side.attachment.pk, contact_id=side.contact.pk, task_id=side.task.pk,
        code=side.submission.version.form.code, number=side.submission.version.number,
        article_id=world.internal_article.pk,
    )


def _call(client, row: Row, world: World):
    url = _url(row.path, world)
    method = row.method.lower()
    if row.body == "multipart":
        upload = SimpleUploadedFile("vastaus.txt", b"Vastaus kysymykseen.\n", content_type="text/plain")
        return client.post(url, {"file": upload}, multipart=True)
    body = row.body(world) if callable(row.body) else row.body
    if method == "get":  # a GET's body is its query
        return client.get(url, body or ({"page_size": 200} if row.lists_a else None))
    return getattr(client, method)(url, body)


LIST_OBJECT = {"/api/v1/parties": "party", "/api/v1/requests": "request", "/api/v1/contacts": "contact",
               "/api/v1/processes/tasks": "task"}


def _row_id(row: Row) -> str:
    return f"{row.method} {row.path.removeprefix('/api/v1')}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=_row_id)
def test_each_role_gets_the_status_the_matrix_says(row, role, world, client_for):
    response = _call(client_for(role), row, world)
    expected = row.expected(role)
    assert response.status_code == expected, (role, row.method, row.path, response.content[:300])
    if expected >= 400:
        error = response.json()["error"]
        assert error["code"] == {403: "forbidden", 404: "not_found", 422: "invalid"}[expected]
    if row.lists_a and expected == 200:
        kind = LIST_OBJECT[row.path]
        answer = response.json()
        shown = {item["id"] for item in (answer["items"] if isinstance(answer, dict) else answer)}
        assert (getattr(world.a, kind).pk in shown) is (role in row.lists_a), (role, shown)


@pytest.mark.parametrize("row", MATRIX, ids=_row_id)
def test_anonymous_callers_get_401_everywhere(row, world):
    response = _call(_Anonymous(), row, world)
    assert response.status_code == row.anonymous
    assert response.json()["error"]["code"] == {401: "unauthorized", 403: "forbidden"}[row.anonymous]


class _Anonymous:
    """No token and no session: what a stranger on the internet sends."""

    def __init__(self):
        self.client = Client()

    def get(self, url, params=None):
        return self.client.get(url, params)

    def post(self, url, data=None, multipart=False):
        if multipart:
            return self.client.post(url, data)
        return self.client.post(url, data or {}, content_type="application/json")

    def patch(self, url, data=None):
        return self.client.patch(url, data or {}, content_type="application/json")


def test_every_route_of_the_openapi_document_has_a_row(db):
    document = Client().get("/api/v1/openapi.json").json()
    routes = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    in_matrix = {(row.method, row.path) for row in MATRIX}
    assert routes - in_matrix == set(), "Add these endpoints to MATRIX with the status each role gets"
    assert in_matrix - routes == set(), "These rows name endpoints that no longer exist"
    assert len(in_matrix) == len(MATRIX), "A route appears twice in MATRIX"


# --- one resident never sees another's data ------------------------------------------------

OTHER_RESIDENTS_OBJECTS = [
    "/api/v1/parties/{party_id}",
    "/api/v1/parties/{party_id}/customerships",
    "/api/v1/requests/{request_id}",
    "/api/v1/requests/{request_id}/events",
    "/api/v1/requests/{request_id}/messages",
    "/api/v1/requests/{request_id}/attachments",
    "/api/v1/requests/{request_id}/attachments/{attachment_id}",
    "/api/v1/contacts/{contact_id}",
]


def _url_of_b(path: str, world: World) -> str:
    side = world.b
    return path.format(party_id=side.party.pk, request_id=side.request.number, attachment_id=side.attachment.pk,
                       contact_id=side.contact.pk)


@pytest.mark.parametrize("path", OTHER_RESIDENTS_OBJECTS)
def test_resident_cannot_read_another_residents_data(path, world, api):
    resident_a = api(user=world.a.resident)
    response = resident_a.get(_url_of_b(path, world))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_resident_finds_another_residents_request_by_id_neither(world, api):
    response = api(user=world.a.resident).get(f"requests/{world.b.request.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("write", [
    ("patch", "/api/v1/parties/{party_id}", lambda world: {"version": world.b.party.version, "language": "sv"}),
    ("patch", "/api/v1/requests/{request_id}",
     lambda world: {"version": world.b.request.version, "description": "Kaapattu."}),
    ("post", "/api/v1/requests/{request_id}/messages", lambda world: {"body": "Kaapattu."}),
    ("post", "/api/v1/requests/{request_id}/actions",
     lambda world: {"action": "provide_information", "version": world.b.request.version, "answer": "Kaapattu."}),
], ids=lambda write: f"{write[0]} {write[1]}")
def test_resident_cannot_change_another_residents_data(write, world, api):
    method, path, body = write
    before = (world.b.party.version, world.b.request.version, world.b.request.messages.count())
    response = getattr(api(user=world.a.resident), method)(_url_of_b(path, world), body(world))
    assert response.status_code == 404
    world.b.party.refresh_from_db()
    world.b.request.refresh_from_db()
    assert (world.b.party.version, world.b.request.version, world.b.request.messages.count()) == before


def test_resident_cannot_upload_to_another_residents_request(world, api):
    upload = SimpleUploadedFile("x.txt", b"Kaapattu.\n", content_type="text/plain")
    response = api(user=world.a.resident).post(_url_of_b("/api/v1/requests/{request_id}/attachments", world),
                                               {"file": upload}, multipart=True)
    assert response.status_code == 404
    assert world.b.request.attachments.count() == 1


@pytest.mark.parametrize("path,key", [
    ("/api/v1/requests", "request"), ("/api/v1/contacts", "contact"),
])
def test_resident_lists_only_their_own(path, key, world, api):
    items = api(user=world.a.resident).get(path, {"page_size": 200}).json()["items"]
    assert {item["id"] for item in items} == {getattr(world.a, key).pk}


def test_resident_filtering_by_another_party_finds_nothing(world, api):
    resident_a = api(user=world.a.resident)
    for path in ("/api/v1/requests", "/api/v1/contacts"):
        assert resident_a.get(path, {"party": world.b.party.pk}).json()["count"] == 0


# --- the feature apps: what the matrix's statuses alone do not show ------------------------


@pytest.mark.parametrize("role", ["resident", "advisor", "expert"])
def test_residents_find_and_read_public_articles_only(role, world, client_for):
    client = client_for(role)
    found = {item["id"] for item in client.get("/api/v1/knowledge/search", {"q": "rakennuslupa"}).json()["results"]}
    assert world.public_article.pk in found
    assert (world.internal_article.pk in found) is (role != "resident")
    assert client.get(f"/api/v1/knowledge/articles/{world.public_article.pk}").status_code == 200


def test_an_expert_reads_the_form_answers_of_their_own_department_only(world, client_for):
    expert = client_for("expert")
    assert expert.get(f"/api/v1/forms/submissions/{world.a.request.number}").status_code == 200
    refused = expert.get(f"/api/v1/forms/submissions/{world.b.request.number}")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ["advisor", "other_expert", "supervisor", "integration"])
def test_a_refused_completion_leaves_the_task_open(role, world, client_for):
    response = client_for(role).post(_url("/api/v1/processes/tasks/{task_id}/complete", world), {"choice": "done"})
    assert response.status_code in (403, 404)
    world.a.task.refresh_from_db()
    assert world.a.task.completed_at is None and world.a.task.completed_by is None
