"""Feedback can be given without signing in: it becomes a request with no customer, the
receipt goes to the email address given (if any), and posting without signing in is limited
per client address: over the limit the visitor gets a 429 page and nothing is filed."""

from django.core import mail
from django.test import Client

from aspa.eforms.models import Draft, Submission
from aspa.requests.models import ServiceRequest
from tests.factories.eforms import VALID_ANSWERS, png_file

FEEDBACK = VALID_ANSWERS["kuntalaispalaute"]


def send_feedback(client: Client, answers: dict, **files):
    response = client.post("/forms/kuntalaispalaute/", {**answers, **files, "action": "preview"})
    assert response.status_code == 302, response.content.decode()
    token = Draft.objects.filter(user__isnull=True).latest("id").token
    return client.post(f"/forms/drafts/{token}/submit/")


def test_anonymous_feedback_is_filed_and_its_receipt_emailed(city, django_capture_on_commit_callbacks):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    assert client.get("/forms/kuntalaispalaute/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = send_feedback(client, FEEDBACK, **{"f-photo": png_file()})

    receipt = client.get(response["Location"])
    item = ServiceRequest.objects.get()
    assert item.number in receipt.content.decode()
    assert item.party is None
    assert (item.service.code, item.type.code, item.channel.code) == ("palaute", "feedback", "web")
    assert (item.contact_name, item.contact_email) == ("Maija Meikäläinen", "maija@example.fi")
    assert item.language == "sv"
    assert item.attachments.get().original_name == "kuva.png"
    (email,) = mail.outbox
    assert email.to == ["maija@example.fi"] and item.number in email.subject


def test_anonymous_feedback_without_an_email_address_is_filed_without_a_receipt_email(
        city, django_capture_on_commit_callbacks):
    client = Client()
    answers = {key: value for key, value in FEEDBACK.items() if key not in ("f-email", "f-name", "f-wants_answer")}
    with django_capture_on_commit_callbacks(execute=True):
        send_feedback(client, answers)
    assert ServiceRequest.objects.get().contact_email == ""
    assert mail.outbox == []


def test_another_browser_cannot_see_an_anonymous_receipt_or_draft(city):
    client = Client()
    response = send_feedback(client, FEEDBACK)
    token = Submission.objects.get().token
    stranger = Client()

    number = ServiceRequest.objects.get().number
    # A browser without a session of its own is asked to sign in; one with its own gets 404.
    first_look = stranger.get(response["Location"])
    assert first_look.status_code == 302 and number not in first_look.content.decode()
    send_feedback(stranger, FEEDBACK)
    assert stranger.get(response["Location"]).status_code == 404
    assert stranger.get(f"/forms/drafts/{token}/").status_code == 404


def test_forms_that_need_identification_send_anonymous_visitors_to_sign_in(city):
    response = Client().get("/forms/venepaikkahakemus/")
    assert response.status_code == 302
    assert response["Location"].startswith("/saml/login/?next=%2Fforms%2Fvenepaikkahakemus%2F")
    assert Client().post("/forms/venepaikkahakemus/", VALID_ANSWERS["venepaikkahakemus"]).status_code == 302
    assert not Draft.objects.exists()


def test_anonymous_posts_are_limited_per_address(city, settings):
    settings.EFORMS_ANONYMOUS_POSTS_PER_WINDOW = 4
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_ACCEPT_LANGUAGE="fi")
    send_feedback(client, FEEDBACK)  # two posts: the form and the send
    send_feedback(client, FEEDBACK)  # four
    assert ServiceRequest.objects.count() == 2

    drafts = Draft.objects.count()

    refused = client.post("/forms/kuntalaispalaute/", {**FEEDBACK, "action": "preview"})

    assert refused.status_code == 429
    assert "portal/forms/too_many.html" in [template.name for template in refused.templates]  # the translated page
    assert ServiceRequest.objects.count() == 2
    assert Draft.objects.count() == drafts
    # Another address is not affected; a signed-in resident never is.
    other = Client(REMOTE_ADDR="192.0.2.11")
    assert other.post("/forms/kuntalaispalaute/", {**FEEDBACK, "action": "preview"}).status_code == 302
