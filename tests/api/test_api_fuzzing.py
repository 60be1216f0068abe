"""Bad input gets a clear error and changes nothing.

schemathesis generates requests from the API's own OpenAPI document, both ones that fit the
schema and ones that break it, and sends them as an advisor (a supervisor where advisors are
refused by design) through Django's test client (no network, no server). Most of them name objects that exist (every path parameter of the
document gets a real value, see path_values.py), so they reach the handlers' own checks; the
rest carry generated ids. Whatever comes in, the API never answers 5xx, a success is one the
document promises with the body it describes, and every error has the one shape
{"error": {"code", "message", "fields"}}. The generation is derandomised and bounded so the run
is the same every time and stays short on SQLite and PostgreSQL alike.

The explicit tests after it pin the cases an integrator hits first: broken JSON, the wrong
content type, a page size too large and an unknown code in a filter."""

import io
import json
from functools import cache
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import content_type_conformance, response_schema_conformance
from schemathesis.core import NOT_SET
from schemathesis.generation import GenerationMode
from schemathesis.transport.serialization import Binary

import requests
from aspa.contacts.models import Contact
from aspa.customers.models import Party
from aspa.identity.models import Role
from aspa.requests.models import ServiceRequest
from aspa.web.api import api as ninja_api
from tests.api.path_values import path_parameters_of, real_path_values
from tests.security.world import world_fixture  # noqa: F401 (fixture)

EXAMPLES_PER_OPERATION = 25
FUZZED_METHODS = ("GET", "POST", "PATCH")
# Refused to advisors by design (see the authorization matrix): fuzzed as a supervisor, who may.
FUZZED_AS_SUPERVISOR = {("GET", "/api/v1/audit"), ("PATCH", "/api/v1/contacts/{contact_id}")}


@cache
def _document() -> dict:
    return ninja_api.get_openapi_schema(path_prefix="/api/v1")


@cache
def _schema():
    return schemathesis.openapi.from_dict(_document())


def _operations() -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, operations in _document()["paths"].items()
            for method in operations if method.upper() in FUZZED_METHODS]


def _in_path(path: str, values: dict) -> dict:
    return {name: value for name, value in values.items() if "{" + name + "}" in path}


def _use_the_version_just_read(staff, case) -> None:
    """Put the object's current version in the body, as a client that read it first would: a
    generated version is nearly always stale (409), which stops the handler before its own checks
    (negative cases keep theirs). The object is the one the path names last (a request for its
    actions too)."""
    if not isinstance(case.body, dict) or not isinstance(case.body.get("version"), int):
        return
    object_path = case.operation.path[:case.operation.path.rindex("}") + 1].format(**case.path_parameters)
    current = staff.get(object_path)
    if current.status_code == 200:
        case.body["version"] = current.json()["version"]


def _form_value(value):
    if isinstance(value, Binary):
        return SimpleUploadedFile("generated.bin", value.data)
    if isinstance(value, bytes):
        return SimpleUploadedFile("generated.bin", value)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if value is None:
        return ""
    return value


def _send(client, token: str, case):
    """Send a generated case through Django's test client with the staff member's token."""
    headers = {"Authorization": f"Bearer {token}"}
    path = case.formatted_path
    query = urlencode(case.query or {}, doseq=True)
    if case.method.upper() == "GET":
        return client.generic("GET", path, QUERY_STRING=query, headers=headers)
    if case.media_type == "multipart/form-data":
        body = case.body if isinstance(case.body, dict) else {}
        data = {str(name): _form_value(value) for name, value in body.items()}
        return client.post(path, data, QUERY_STRING=query, headers=headers)
    return client.generic(case.method.upper(), path, _json_body(case.body), content_type="application/json",
                          QUERY_STRING=query, headers=headers)


def _json_body(body) -> bytes:
    # Negative generation sends raw bytes too: exactly what a broken client would send.
    if body is NOT_SET:
        return b""
    if isinstance(body, Binary):
        return body.data
    if isinstance(body, bytes):
        return body
    return json.dumps(body, default=lambda value: value.data.decode("latin-1")).encode()


def _assert_conforms_to_the_document(case, response) -> None:
    """A success is one of the statuses the document lists for the operation, with the body and
    content type it describes; errors are checked against the one error shape instead."""
    if response.status_code >= 300:
        return
    documented = case.operation.responses.status_codes
    assert str(response.status_code) in documented, (response.status_code, documented, case.formatted_path)
    sent = requests.Request(case.method.upper(), f"http://testserver{case.formatted_path}").prepare()
    answered = schemathesis.Response(
        status_code=response.status_code, headers={name.lower(): [value] for name, value in response.items()},
        content=response.getvalue(), request=sent, elapsed=0.0, verify=True)
    case.validate_response(answered, checks=[response_schema_conformance, content_type_conformance])


def _assert_error_shape(response) -> None:
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error), error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for name, messages in error["fields"].items():
        assert isinstance(name, str)
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)


def test_every_path_parameter_of_the_document_gets_a_real_value(world):
    """A new path parameter without a real object would be fuzzed with 404s only."""
    known = set().union(*(values.keys() for values in real_path_values(world)))
    assert set(path_parameters_of(_document())) <= known


@pytest.mark.parametrize("method,path", _operations(), ids=lambda value: value)
def test_generated_requests_never_break_the_api(method, path, world, api):
    # In the department of the world's process task, so that completing it is theirs to do.
    role = Role.SUPERVISOR if (method, path) in FUZZED_AS_SUPERVISOR else Role.ADVISOR
    staff = api(role, department=world.catalogue.building)
    token = staff.headers["Authorization"].removeprefix("Bearer ")
    operation = _schema()[path][method]
    real_values = [_in_path(path, values) for values in real_path_values(world)]
    real_objects = st.sampled_from(real_values)
    cases = st.one_of(
        real_objects.flatmap(lambda values: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values)),
        real_objects.flatmap(lambda values: operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=values)),
        # Generated ids and numbers too: huge, negative, odd characters.
        operation.as_strategy(GenerationMode.POSITIVE),
    )

    @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def answer_is_never_a_server_error(case):
        if case.path_parameters in real_values and case.meta.generation.mode == GenerationMode.POSITIVE:
            _use_the_version_just_read(staff, case)
        response = _send(staff.client, token, case)
        assert response.status_code < 500, (case.formatted_path, case.query, case.body, response.content[:500])
        _assert_conforms_to_the_document(case, response)
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json"), (
                response.status_code, case.method, case.formatted_path, case.query, case.body)
            _assert_error_shape(response)

    answer_is_never_a_server_error()


# --- the explicit cases ----------------------------------------------------------------------


def _counts() -> tuple[int, int, int]:
    return Party.objects.count(), ServiceRequest.objects.count(), Contact.objects.count()


@pytest.mark.parametrize("path", ["parties", "requests", "contacts"])
def test_malformed_json_gets_400_malformed_and_creates_nothing(path, world, advisor_api):
    before = _counts()
    response = advisor_api.post(path, '{"kind": "person", "first_name": "Matti",')
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    _assert_error_shape(response)
    assert _counts() == before


def test_malformed_json_in_an_action_changes_nothing(world, advisor_api):
    service_request = world.a.request
    response = advisor_api.post(f"requests/{service_request.number}/actions", "{action: take}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    service_request.refresh_from_db()
    assert service_request.status == "received"


def test_malformed_json_with_an_idempotency_key_can_be_retried_fixed(world, advisor_api):
    broken = advisor_api.post("contacts", '{"channel": "phone"', headers={"Idempotency-Key": "k-1"})
    assert broken.status_code == 400
    # The broken body was answered and remembered; the fixed body needs a fresh key.
    reused = advisor_api.post("contacts", {"channel": "phone"}, headers={"Idempotency-Key": "k-1"})
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    fixed = advisor_api.post("contacts", {"channel": "phone"}, headers={"Idempotency-Key": "k-2"})
    assert fixed.status_code == 201


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_refused_and_creates_nothing(content_type, world, advisor_api):
    before = _counts()
    response = advisor_api.client.post(
        "/api/v1/parties", "kind=person&last_name=Virtanen", content_type=content_type,
        headers=advisor_api.headers,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert _counts() == before


def test_a_json_array_instead_of_an_object_is_refused(world, advisor_api):
    response = advisor_api.post("requests", [{"type": "question"}])
    assert response.status_code in (400, 422)
    _assert_error_shape(response)


def test_an_upload_without_a_file_is_refused(world, advisor_api):
    response = advisor_api.post(f"requests/{world.a.request.number}/attachments",
                                {"note": io.BytesIO(b"")}, multipart=True)
    assert response.status_code == 422
    _assert_error_shape(response)
    assert any(name.startswith("file") for name in response.json()["error"]["fields"])


@pytest.mark.parametrize("path", ["parties", "requests", "contacts", "audit"])
@pytest.mark.parametrize("page_size", [0, 201, 10**12])
def test_a_page_size_out_of_range_gets_422(path, page_size, world, api):
    supervisor = api(Role.SUPERVISOR)
    response = supervisor.get(path, {"page_size": page_size})
    assert response.status_code == 422
    _assert_error_shape(response)
    assert "page_size" in response.json()["error"]["fields"]


@pytest.mark.parametrize("path,params,field", [
    ("requests", {"status": "lost"}, "status"),
    ("requests", {"service": "no-such-service"}, "service"),
    ("requests", {"department": "no-such-department"}, "department"),
    ("requests", {"channel": "pigeon"}, "channel"),
    ("requests", {"type": "no-such-type"}, "type"),
    ("requests", {"team": "no-such-team"}, "team"),
    ("requests", {"sort": "shoe_size"}, "sort"),
    ("parties", {"segment": "no-such-segment"}, "segment"),
    ("parties", {"kind": "robot"}, "kind"),
    ("parties", {"sort": "shoe_size"}, "sort"),
    ("contacts", {"channel": "pigeon"}, "channel"),
    ("contacts", {"topic": "no-such-service"}, "topic"),
    ("contacts", {"outcome": "maybe"}, "outcome"),
    ("services", {"department": "no-such-department"}, "department"),
])
def test_an_unknown_code_in_a_filter_gets_422_naming_the_filter(path, params, field, world, advisor_api):
    response = advisor_api.get(path, params)
    assert response.status_code == 422, response.content
    _assert_error_shape(response)
    assert field in response.json()["error"]["fields"]


def test_unknown_codes_in_a_new_request_get_422_and_create_nothing(world, advisor_api):
    before = _counts()
    response = advisor_api.post("requests", {"type": "question", "channel": "pigeon", "description": "Kysymys.",
                                             "service": "no-such-service"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert _counts() == before


@pytest.mark.parametrize("path,params", [
    ("requests", {"q": "ESI\x00"}),
    ("parties", {"q": "Virtanen\x00"}),
    ("parties", {"name": "\x00"}),
    ("contacts", {"staff": "user\x00"}),
])
def test_a_nul_character_in_a_filter_gets_422_not_a_server_error(path, params, world, advisor_api):
    response = advisor_api.get(path, params)
    assert response.status_code == 422
    _assert_error_shape(response)
    assert set(response.json()["error"]["fields"]) == set(params)


@pytest.mark.parametrize("path,body", [
    ("parties", {"kind": "person", "first_name": "Matti", "last_name": "Virta\x00nen"}),
    ("requests", {"type": "question", "channel": "phone", "description": "Kysymys\x00"}),
    ("contacts", {"channel": "phone", "notes": "\x00"}),
])
def test_a_nul_character_in_a_body_is_refused_and_creates_nothing(path, body, world, advisor_api):
    before = _counts()
    response = advisor_api.post(path, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert _counts() == before


def test_a_request_number_with_a_nul_character_is_not_found(world, advisor_api):
    assert advisor_api.get(f"requests/{world.a.request.number}%00").status_code == 404


@pytest.mark.parametrize("path", ["parties", "requests", "contacts", "audit"])
def test_a_page_number_past_any_list_gets_422(path, world, api):
    response = api(Role.SUPERVISOR).get(path, {"page": 10**20})
    assert response.status_code == 422
    assert "page" in response.json()["error"]["fields"]


@pytest.mark.parametrize("path,params", [
    ("requests", {"party": 10**20}), ("requests", {"assignee": 10**20}), ("contacts", {"party": 10**20}),
])
def test_an_id_too_large_for_the_database_is_not_a_server_error(path, params, world, advisor_api):
    response = advisor_api.get(path, params)
    # PostgreSQL finds nothing (200, empty); SQLite cannot even bind the number (422).
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["count"] == 0
    else:
        _assert_error_shape(response)
