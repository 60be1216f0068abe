"""POST /api/v1/routing/suggest: staff get ranked suggestions; others are refused; bad input is
named field by field."""

import pytest

from aspa.identity.models import Role
from aspa.routing import operations
from tests.factories.requests import resident_user
from tests.routing.conftest import synthetic_examples

PERMIT = {"text": "Haluaisin rakennusluvan uudelle autotallille", "language": "fi", "channel": "email"}


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION])
def test_staff_get_suggestions_best_first(api, trained, role):
    response = api(role).post("routing/suggest", PERMIT)
    body = response.json()
    assert response.status_code == 200, body
    suggestions = body["suggestions"]
    assert suggestions[0] == {"service": "rakennuslupa", "department": "rakennusvalvonta",
                              "score": suggestions[0]["score"]}
    scores = [item["score"] for item in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 1 for score in scores)
    assert body["rule"] is None


def test_swedish_and_english_texts_are_understood(api, trained):
    client = api(Role.ADVISOR)
    for text, language in (("Öppettider för stadshuset", "sv"), ("When is the city hall open", "en")):
        body = client.post("routing/suggest", {"text": text, "language": language}).json()
        assert body["suggestions"][0]["service"] == "yleisneuvonta", (text, body)


def test_a_request_type_limits_the_suggestions_to_services_that_take_it(api, trained):
    body = api(Role.ADVISOR).post("routing/suggest", {**PERMIT, "type": "question"}).json()
    assert {item["service"] for item in body["suggestions"]} <= {"yleisneuvonta", "rakennuslupa"}
    application = api(Role.ADVISOR).post("routing/suggest", {**PERMIT, "type": "application"}).json()
    # General advice takes no applications.
    assert [item["service"] for item in application["suggestions"]] == ["rakennuslupa"]
    assert application["suggestions"][0]["score"] == 1.0


def test_a_published_rule_that_decides_on_the_text_is_returned(api, trained, publish):
    publish([("Kaatunut puu", {"text": 'mentions(?, "kaatunut puu")'},
              {"department": '"aspa"', "priority": '"urgent"', "first_level": "False"})])
    body = api(Role.ADVISOR).post("routing/suggest", {"text": "Kadulla on kaatunut puu", "language": "fi"}).json()
    assert body["rule"]["row"] == 1
    assert (body["rule"]["priority"], body["rule"]["department"], body["rule"]["version"]) == ("urgent", "aspa", 1)


def test_anonymous_callers_are_refused(client, trained):
    response = client.post("/api/v1/routing/suggest", PERMIT, content_type="application/json")
    assert response.status_code == 401


def test_residents_are_refused(api, trained):
    resident = api(user=resident_user())
    response = resident.post("routing/suggest", PERMIT)
    assert response.status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"text": "   "}, "text"),
    ({"language": "de"}, "language"),
    ({"channel": "pigeon"}, "channel"),
    ({"type": "wish"}, "type"),
])
def test_bad_input_is_named(api, trained, change, field):
    response = api(Role.ADVISOR).post("routing/suggest", {**PERMIT, **change})
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_missing_fields_are_named(api, trained):
    response = api(Role.ADVISOR).post("routing/suggest", {"channel": "email"})
    assert response.status_code == 422
    assert {"text", "language"} <= set(response.json()["error"]["fields"])


def test_without_a_trained_classifier_the_answer_says_so(api, catalogue):
    response = api(Role.ADVISOR).post("routing/suggest", PERMIT)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "no_classifier"
    assert "aspa routing train" in error["message"]


def test_the_openapi_document_describes_the_endpoint(api, catalogue):
    document = api(Role.ADVISOR).get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/routing/suggest"]["post"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/SuggestOut")
    schema = document["components"]["schemas"]["SuggestOut"]
    assert set(schema["properties"]) == {"suggestions", "rule"}


def test_another_organisations_matter_is_suggested_as_the_centres_guidance(api, catalogue):
    # The centre answers a question about a Kela benefit by guiding the resident to Kela: the
    # organisation's guidance text teaches the classifier that, without a single such message.
    question = {"text": "Miten haen asumistukea ja kuka sitä myöntää?", "language": "fi"}

    def advice_score() -> float:
        operations.train_classifier(synthetic_examples(), source="tests", trained_by="tests")
        suggestions = api(Role.ADVISOR).post("routing/suggest", question).json()["suggestions"]
        return next(item["score"] for item in suggestions if item["service"] == "yleisneuvonta")

    before = advice_score()
    catalogue.kela.guidance_fi = "Asumistuki, kansaneläke ja sairauspäiväraha haetaan Kelasta."
    catalogue.kela.save()
    after = advice_score()
    assert after > before and after > 0.5, (before, after)
