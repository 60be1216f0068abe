"""The API's contract that every integration relies on: health, docs, auth, error shape."""

import pytest
from django.db import DatabaseError
from django.test import Client

from aspa.identity.models import ApiToken, Role
from aspa.identity.operations import revoke_token


def test_healthz_answers_ok_while_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_does_not(db, monkeypatch):
    class DownDatabase:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("aspa.health.connection", DownDatabase())
    response = Client().get("/healthz")
    assert response.status_code == 503


def test_openapi_document_is_3_1_and_lists_the_resources(db):
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    for path in ["/api/v1/services", "/api/v1/departments", "/api/v1/segments", "/api/v1/audit"]:
        assert path in document["paths"]


def test_interactive_docs_are_served(db):
    assert Client().get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("language,expected", [("fi", "Tunnistautuminen"), ("sv", "Autentisering"), ("en", "Authentication")])
def test_missing_token_gets_401_in_the_callers_language(db, language, expected):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/api/v1/services")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthorized"
    assert error["message"].startswith(expected)


def test_revoked_token_is_refused(api):
    client = api(Role.ADVISOR)
    assert client.get("services").status_code == 200
    token = ApiToken.objects.get(user=client.user)
    revoke_token(prefix_or_name=token.prefix)
    assert client.get("services").status_code == 401


def test_catalogue_lists_services_with_their_rules(advisor_api, catalogue):
    services = {s["code"]: s for s in advisor_api.get("services").json()}
    permit = services["rakennuslupa"]
    assert permit["department"] == "rakennusvalvonta"
    assert permit["target_days"] == 20
    assert set(permit["request_types"]) == {"question", "application"}
    assert permit["products"][0]["code"] == "poikkeamislupa"


def test_resident_cannot_read_the_staff_catalogue_api(api):
    assert api(Role.RESIDENT).get("services").status_code == 403


@pytest.mark.parametrize("language, expected", [("fi", "Menetelmä PUT"), ("en", "The method PUT")])
def test_a_method_the_endpoint_lacks_gets_the_json_error_in_the_callers_language(advisor_api, language, expected):
    advisor_api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = advisor_api.put("services", {})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.json()["error"]["message"].startswith(expected)
    assert "GET" in response["Allow"]
