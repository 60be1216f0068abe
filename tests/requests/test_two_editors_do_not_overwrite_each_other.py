"""Optimistic locking: a change based on an old version is refused and writes nothing."""

import pytest

from aspa.errors import Conflict
from aspa.requests import operations
from aspa.requests.models import RequestEvent, ServiceRequest, Status
from tests.factories.requests import in_status


def test_second_editor_gets_409_and_the_first_edit_stands(api, catalogue):
    first, second = api("advisor"), api("advisor")
    service_request = in_status(Status.RECEIVED, first.user)
    seen_by_both = first.get(f"requests/{service_request.pk}").json()["version"]
    assert second.get(f"requests/{service_request.pk}").json()["version"] == seen_by_both

    saved = first.patch(f"requests/{service_request.pk}", {"version": seen_by_both, "description": "Ensimmäinen"})
    refused = second.patch(f"requests/{service_request.pk}", {"version": seen_by_both, "description": "Toinen"})

    assert saved.status_code == 200
    assert saved.json()["version"] == seen_by_both + 1
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "stale"
    assert error["message"] == "Someone else changed this request; reload and try again."
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.description, stored.version) == ("Ensimmäinen", seen_by_both + 1)
    assert stored.events.filter(kind="edit").count() == 1


def test_stale_action_changes_nothing(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    old_version = service_request.version
    client.post(f"requests/{service_request.pk}/actions", {"action": "take", "version": old_version})
    events = RequestEvent.objects.filter(request=service_request).count()

    response = client.post(f"requests/{service_request.pk}/actions",
                           {"action": "resolve", "version": old_version, "resolution": "Valmis"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale"
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.status, stored.resolution) == (Status.IN_PROGRESS, "")
    assert RequestEvent.objects.filter(request=service_request).count() == events


def test_change_raced_by_another_writer_is_refused(advisor):
    """Both loaded version 1; the other writer commits first, this one must not overwrite it."""
    mine = in_status(Status.RECEIVED, advisor)
    theirs = ServiceRequest.objects.get(pk=mine.pk)
    operations.take(advisor, theirs, version=1)

    with pytest.raises(Conflict) as refused:
        operations.resolve(advisor, mine, version=1, resolution="Ratkaistu")

    assert refused.value.code == "stale"
    stored = ServiceRequest.objects.get(pk=mine.pk)
    assert (stored.status, stored.version) == (Status.IN_PROGRESS, 2)
    assert not stored.events.filter(kind="resolve").exists()


def test_patch_without_version_is_refused(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = client.patch(f"requests/{service_request.pk}", {"description": "x"})
    assert response.status_code == 422
    assert "version" in response.json()["error"]["fields"]


def test_patch_corrects_details_and_records_what_changed(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = client.patch(f"requests/{service_request.pk}", {
        "version": 1, "language": "en", "contact": {"email": "UUSI@example.fi", "phone": "+358 9 310 1234"}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["language"], body["contact"]["email"], body["contact"]["phone"]) == ("en", "uusi@example.fi",
                                                                                     "+35893101234")
    event = ServiceRequest.objects.get(pk=service_request.pk).events.get(kind="edit")
    assert event.data["language"] == {"from": "fi", "to": "en"}
    assert event.data["contact_email"] == {"from": "", "to": "uusi@example.fi"}


def test_closed_request_cannot_be_edited(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.CLOSED, client.user)
    response = client.patch(f"requests/{service_request.pk}",
                            {"version": service_request.version, "description": "x"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"


def test_patch_that_changes_nothing_writes_nothing(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = client.patch(f"requests/{service_request.pk}", {"version": 1, "language": "fi"})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert not ServiceRequest.objects.get(pk=service_request.pk).events.filter(kind="edit").exists()
