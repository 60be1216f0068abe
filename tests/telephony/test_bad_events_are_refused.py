"""What the contact-centre system sends wrong is refused with the API's 422 and the fields named,
never a 500, and a batch with one wrong event stores nothing. Only an integration token sends."""

import pytest
from django.test import Client

from aspa.telephony.models import Call, CallEvent
from tests.telephony.conftest import event


@pytest.mark.django_db
def test_an_unknown_queue_is_named(cti):
    response = cti.post("telephony/events", event("X1", "offered", "09:00:00", queue="no-such", caller="0401234567"))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["queue"]


@pytest.mark.django_db
def test_a_bad_number_in_a_batch_names_its_event_and_stores_nothing(cti):
    good = event("X1", "offered", "09:00:00", queue="fi", caller="040 123 4567")
    bad = event("X2", "offered", "09:01:00", queue="fi", caller="12")

    response = cti.post("telephony/events", {"events": [good, bad]})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"events.1.caller": ["This is not a valid phone number."]}
    assert not CallEvent.objects.exists() and not Call.objects.exists()


@pytest.mark.django_db
def test_missing_and_wrong_fields_are_named(cti):
    response = cti.post("telephony/events", {"events": [
        {"event_id": "e1", "call_id": "X1", "type": "ended", "occurred_at": "2026-12-01T09:00:00+02:00"},
        {"call_id": "X2", "type": "rang", "occurred_at": "yesterday"},
    ]})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "events.1.event_id": ["This field is required."],
        "events.1.type": ["Not one of the allowed values."],
        "events.1.occurred_at": ["Enter a date and time in ISO 8601 form."],
    }


@pytest.mark.django_db
def test_an_offered_call_names_its_queue(cti):
    response = cti.post("telephony/events", {"event_id": "e2", "call_id": "X2", "type": "offered",
                                             "occurred_at": "2026-12-01T09:00:00+02:00"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"queue": ["An offered call names its queue."]}


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["not json", "[]", '{"events": []}', '{"events": "x"}', "42", '"\\u0000"'])
def test_a_body_that_is_no_event_is_refused(cti, body):
    response = cti.post("telephony/events", body)

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["advisor", "supervisor", "admin"])
def test_only_an_integration_sends_events(api, queues, role):
    response = api(role).post("telephony/events", event("X1", "offered", "09:00:00", queue="fi"))

    assert response.status_code == 403
    assert not CallEvent.objects.exists()


@pytest.mark.django_db
def test_an_anonymous_caller_is_refused(queues):
    response = Client().post("/api/v1/telephony/events", event("X1", "offered", "09:00:00", queue="fi"),
                             content_type="application/json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
