"""Messages: internal notes stay inside; for customer-visible ones the customer is emailed, in their
language, that a message is waiting."""

from aspa.requests.models import Message, Status
from tests.factories.customers import make_national_id
from tests.factories.requests import PersonFactory, in_status, with_email


def test_customer_visible_message_is_emailed_in_the_customers_language(
        api, catalogue, mailoutbox, django_capture_on_commit_callbacks):
    client = api("advisor", language="en")
    party = with_email(PersonFactory(language="sv", national_id=make_national_id()), "kund@example.fi")
    with_email(party, "old@example.fi", primary=False)
    service_request = in_status(Status.IN_PROGRESS, client.user, party=party.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"requests/{service_request.pk}/messages",
                               {"body": "Beslutet är klart.", "visibility": "customer"})

    assert response.status_code == 201, response.content
    assert len(callbacks) == 1  # sent after commit, not during the transaction
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["kund@example.fi"]  # the primary address
    assert service_request.number in email.subject
    # The customer can sign in: the email says a message waits there and never carries it.
    assert "Beslutet är klart." not in email.body
    assert f"/portal/requests/{service_request.number}/" in email.body
    # Rendered in Swedish although the advisor works in English.
    assert "Yleisneuvonta (sv)" in email.body


def test_internal_note_is_not_emailed(api, catalogue, mailoutbox, django_capture_on_commit_callbacks):
    client = api("advisor")
    party = with_email(PersonFactory(), "asiakas@example.fi")
    service_request = in_status(Status.IN_PROGRESS, client.user, party=party.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"requests/{service_request.pk}/messages", {"body": "Soitin, ei vastannut."})
    assert response.status_code == 201
    assert response.json()["visibility"] == "internal"
    assert mailoutbox == []


def test_residents_message_on_their_own_request_is_customer_visible(resident_api, advisor, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    client = resident_api()
    service_request = in_status(Status.IN_PROGRESS, advisor, party=client.user.party_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"requests/{service_request.pk}/messages",
                               {"body": "Onko asia edennyt?", "visibility": "internal"})
    assert response.status_code == 201, response.content
    message = Message.objects.get(pk=response.json()["id"])
    assert (message.visibility, message.from_customer, message.author) == ("customer", True, client.user)
    assert mailoutbox == []  # nobody emails the customer their own message


def test_resident_sees_only_customer_visible_messages(resident_api, advisor):
    client = resident_api()
    service_request = in_status(Status.IN_PROGRESS, advisor, party=client.user.party_id)
    Message.objects.create(request=service_request, visibility="internal", body="Hankala asiakas?",
                           author=advisor, author_label="x")
    Message.objects.create(request=service_request, visibility="customer", body="Käsittelemme asiaa.",
                           author=advisor, author_label="x")
    bodies = [message["body"] for message in client.get(f"requests/{service_request.pk}/messages").json()]
    assert bodies == ["Käsittelemme asiaa."]


def test_staff_see_all_messages_in_order(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)
    for body, visibility in [("yksi", "internal"), ("kaksi", "customer"), ("kolme", "internal")]:
        client.post(f"requests/{service_request.pk}/messages", {"body": body, "visibility": visibility})
    bodies = [message["body"] for message in client.get(f"requests/{service_request.pk}/messages").json()]
    assert bodies == ["yksi", "kaksi", "kolme"]


def test_empty_message_is_refused(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)
    response = client.post(f"requests/{service_request.pk}/messages", {"body": "  "})
    assert response.status_code == 422
    assert "body" in response.json()["error"]["fields"]
