"""The history of a request is complete, ordered, and never rewritten."""

import pytest

from aspa.requests.models import RequestEvent, Status
from tests.factories.requests import in_status


def _act(client, number, action, version, **fields):
    response = client.post(f"requests/{number}/actions", {"action": action, "version": version, **fields})
    assert response.status_code == 200, response.content
    return response.json()["version"]


def test_history_lists_every_step_in_order_with_who_and_how(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    number = service_request.number
    version = _act(client, number, "take", 1, channel="phone")
    version = _act(client, number, "request_information", version, question="Osoite?")
    version = _act(client, number, "provide_information", version, answer="Katu 1")
    client.post(f"requests/{number}/messages", {"body": "Sisäinen", "visibility": "internal"})
    version = _act(client, number, "resolve", version, resolution="Valmis", first_contact=False)
    _act(client, number, "close", version)

    events = client.get(f"requests/{number}/events").json()

    assert [(e["kind"], e["from_status"], e["to_status"]) for e in events] == [
        ("filed", "", "received"),
        ("take", "received", "in_progress"),
        ("request_information", "in_progress", "waiting"),
        ("message_added", "", ""),
        ("provide_information", "waiting", "in_progress"),
        ("message_added", "", ""),
        ("message_added", "", ""),
        ("resolve", "in_progress", "resolved"),
        ("close", "resolved", "closed"),
    ]
    name = client.user.get_full_name()
    assert all(e["actor"] == name for e in events)
    assert events[1]["channel"] == "phone"
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


def test_resident_sees_the_history_without_internal_notes_or_staff_names(resident_api, api, catalogue):
    staff = api("advisor")
    resident = resident_api()
    service_request = in_status(Status.IN_PROGRESS, staff.user, party=resident.user.party_id)
    staff.post(f"requests/{service_request.pk}/messages", {"body": "Sisäinen", "visibility": "internal"})
    staff.post(f"requests/{service_request.pk}/messages", {"body": "Hei!", "visibility": "customer"})

    events = resident.get(f"requests/{service_request.pk}/events").json()

    assert [e["kind"] for e in events] == ["filed", "take", "message_added"]
    assert all(e["actor"] == "" and e["data"] == {} for e in events)


def test_events_cannot_be_edited(advisor):
    event = RequestEvent.objects.filter(request=in_status(Status.RECEIVED, advisor)).get()
    event.kind = "something_else"
    with pytest.raises(ValueError):
        event.save()
    assert RequestEvent.objects.get(pk=event.pk).kind == "filed"
