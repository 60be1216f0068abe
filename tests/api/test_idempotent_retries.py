"""A client that retries a POST with the same Idempotency-Key gets the first answer and
creates nothing new, whatever happened in between."""

import json

import pytest

from aspa.api.models import IdempotentResponse
from aspa.customers.models import Party
from aspa.identity.models import Role
from aspa.requests.models import ServiceRequest

PERSON = {"kind": "person", "first_name": "Aino", "last_name": "Lahti"}


def test_retry_replays_the_first_answer_and_creates_nothing(api):
    client = api(Role.INTEGRATION)
    first = client.post("parties", PERSON, headers={"Idempotency-Key": "party-1"})
    again = client.post("parties", PERSON, headers={"Idempotency-Key": "party-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Party.objects.count() == 1


def test_without_a_key_each_post_creates(api):
    client = api(Role.INTEGRATION)
    client.post("parties", PERSON)
    client.post("parties", PERSON)
    assert Party.objects.count() == 2


def test_reusing_a_key_for_a_different_body_is_refused(api):
    client = api(Role.INTEGRATION)
    client.post("parties", PERSON, headers={"Idempotency-Key": "k"})
    other = client.post("parties", {**PERSON, "first_name": "Eino"}, headers={"Idempotency-Key": "k"})
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Party.objects.count() == 1


def test_the_same_key_from_another_caller_is_another_key(api):
    api(Role.INTEGRATION).post("parties", PERSON, headers={"Idempotency-Key": "shared"})
    api(Role.ADVISOR).post("parties", PERSON, headers={"Idempotency-Key": "shared"})
    assert Party.objects.count() == 2


def test_a_refused_post_is_replayed_as_refused(api):
    client = api(Role.INTEGRATION)
    bad = {**PERSON, "national_id": "131052-308U"}
    first = client.post("parties", bad, headers={"Idempotency-Key": "bad"})
    again = client.post("parties", bad, headers={"Idempotency-Key": "bad"})
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()


def test_a_crash_in_the_middle_leaves_nothing_and_the_retry_succeeds(api, catalogue, monkeypatch):
    """The server fails after the request row was written but before answering: the whole
    POST rolls back, no answer is kept, and the retry files exactly one request."""
    # The filing's own history entry: the crash comes after the request row was inserted.
    from aspa.requests.operations import filing as operations

    client = api(Role.ADVISOR)
    client.client.raise_request_exception = False
    body = {"type": "question", "service": "yleisneuvonta", "channel": "phone", "description": "Aukioloajat?"}
    real_record = operations._record

    def crash_after_insert(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("power cut")

    monkeypatch.setattr(operations, "_record", crash_after_insert)
    crashed = client.post("requests", body, headers={"Idempotency-Key": "file-1"})
    assert crashed.status_code == 500
    assert ServiceRequest.objects.count() == 0
    assert not IdempotentResponse.objects.filter(key="file-1").exists()

    monkeypatch.setattr(operations, "_record", real_record)
    retried = client.post("requests", body, headers={"Idempotency-Key": "file-1"})
    assert retried.status_code == 201
    assert ServiceRequest.objects.count() == 1
    assert json.loads(retried.content)["number"] == ServiceRequest.objects.get().number


def test_an_overlong_key_is_refused(api):
    response = api(Role.INTEGRATION).post("parties", PERSON, headers={"Idempotency-Key": "x" * 201})
    assert response.status_code == 400
    assert Party.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_create_one(api, catalogue):
    """Two workers receive the same retried POST at once; the unique key lets only one write."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    client = api(Role.INTEGRATION)
    results = []

    def post():
        results.append(client.post("parties", PERSON, headers={"Idempotency-Key": "race"}).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Party.objects.count() == 1
    assert sorted(results)[0] == 201
