"""Redirecting guides the customer elsewhere and closes the request for the centre;
resolving records the answer. Both tell the customer, in their language, after commit: an
identified customer that something waits in the e-service, an anonymous one the text itself."""

import pytest

from aspa.requests.models import ServiceRequest, Status
from tests.factories.customers import make_national_id
from tests.factories.requests import PersonFactory, in_status, with_email


def _act(client, service_request, action, **fields):
    return client.post(f"requests/{service_request.pk}/actions",
                       {"action": action, "version": service_request.version, **fields})


def test_redirect_records_guidance_and_closes_for_the_centre(api, catalogue, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    client = api("advisor")
    party = with_email(PersonFactory(language="en", national_id=make_national_id()), "resident@example.fi")
    service_request = in_status(Status.RECEIVED, client.user, party=party.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, service_request, "redirect", organisation="kela",
                        guidance="Apply for housing allowance at Kela.", message="Call 020 692 210.")

    body = response.json()
    assert response.status_code == 200, body
    assert (body["status"], body["redirected_to"]) == ("redirected", "kela")
    assert body["guidance"] == "Apply for housing allowance at Kela."
    assert body["closed_at"] is not None
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert stored.events.get(kind="redirect").data == {"organisation": "kela",
                                                        "guidance": "Apply for housing allowance at Kela."}
    assert stored.messages.get().body == "Call 020 692 210."
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    # An identified customer reads where to turn in the e-service; the email only points there.
    assert "Apply for housing allowance at Kela." not in email.body
    assert "Call 020 692 210." not in email.body
    assert f"/portal/requests/{service_request.number}/" in email.body


def test_redirect_needs_guidance(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = _act(client, service_request, "redirect", organisation="kela")
    assert response.status_code == 422
    assert "guidance" in response.json()["error"]["fields"]
    assert ServiceRequest.objects.get(pk=service_request.pk).status == Status.RECEIVED


@pytest.mark.parametrize("first_contact", [True, False])
def test_resolve_records_resolution_and_first_contact(api, catalogue, first_contact):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    body = _act(client, service_request, "resolve", resolution="Neuvottu.", first_contact=first_contact).json()
    assert (body["status"], body["resolution"]) == ("resolved", "Neuvottu.")
    assert body["resolved_at_first_contact"] is first_contact
    assert body["resolved_at"] is not None


def test_resolve_needs_a_resolution(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user)
    response = _act(client, service_request, "resolve", resolution=" ")
    assert response.status_code == 422
    assert "resolution" in response.json()["error"]["fields"]


def test_anonymous_filer_with_an_email_hears_the_outcome_in_the_requests_language(
        api, catalogue, mailoutbox, django_capture_on_commit_callbacks):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user, contact_email="nimeton@example.fi", language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, service_request, "resolve", resolution="Korjattu.")
    assert mailoutbox[0].to == ["nimeton@example.fi"]
    assert "Yleisneuvonta (sv)" in mailoutbox[0].body
    # No e-service to read it in: the email is the only way the answer reaches them.
    assert "Korjattu." in mailoutbox[0].body
    assert "/portal/" not in mailoutbox[0].body


def test_nothing_is_emailed_when_the_change_is_rolled_back(api, catalogue, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    client = api("advisor")
    party = with_email(PersonFactory(), "asiakas@example.fi")
    service_request = in_status(Status.RECEIVED, client.user, party=party.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, service_request, "request_information", question="")
    assert response.status_code == 422
    assert mailoutbox == []


def test_customer_without_an_email_address_is_not_emailed(api, catalogue, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user, party=PersonFactory().pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, service_request, "resolve", resolution="Neuvottu.")
    assert response.status_code == 200
    assert mailoutbox == []
