"""The demo resident ("asukas") finds errands in progress in the portal, not only closed ones:
one being handled, one waiting for their answer to the centre's question (which they can answer
there), and one just filed through a form. They are made through the real operations, so their
history, contacts and emails are the real ones; a second `aspa demo` adds nothing."""

import html
import io

from django.core import mail
from django.core.management import call_command
from django.test import Client

from aspa.contacts.models import Contact
from aspa.eforms.models import Submission
from aspa.identity.models import User
from aspa.requests.models import OPEN_STATUSES, Message, RequestEvent, ServiceRequest, Status

SMALL = {"residents": 12, "requests": 20, "contacts": 30}


def run_demo(capture) -> str:
    """`aspa demo`, with what it does after each commit (the emails) done as it would be."""
    out = io.StringIO()
    with capture(execute=True):
        call_command("demo", stdout=out, **SMALL)
    return out.getvalue()


def open_errands(resident: User) -> dict[str, ServiceRequest]:
    errands = ServiceRequest.objects.filter(party=resident.party, status__in=OPEN_STATUSES).select_related("service")
    return {errand.status: errand for errand in errands}


def history(errand: ServiceRequest) -> list[str]:
    return list(errand.events.order_by("at", "id").values_list("kind", flat=True))


def test_the_demo_resident_has_one_errand_handled_one_waiting_for_them_and_one_just_filed(
        db, django_capture_on_commit_callbacks):
    run_demo(django_capture_on_commit_callbacks)
    resident = User.objects.get(username="asukas")
    errands = open_errands(resident)
    assert set(errands) == {Status.IN_PROGRESS, Status.WAITING, Status.RECEIVED}

    handled = errands[Status.IN_PROGRESS]
    assert (handled.service.code, handled.channel.code, handled.assignee.username) == (
        "katujen-kunnossapito", "phone", "katu")
    assert history(handled)[0] == "filed" and history(handled)[-1] == "take"
    call = Contact.objects.get(requests=handled)
    assert (call.party, call.staff.username, call.outcome) == (resident.party, "puhelin", "request_filed")

    waiting = errands[Status.WAITING]
    assert waiting.service.code == "rakennuslupa-neuvonta"
    assert history(waiting)[-2:] == ["request_information", "message_added"]
    assert waiting.messages.get(visibility=Message.Visibility.CUSTOMER).author.username == "rakennus"

    filed = errands[Status.RECEIVED]
    submission = Submission.objects.get(request=filed)
    assert submission.version.form.code == "asukaspysakointitunnus" and submission.submitted_by == resident
    assert submission.answers["name"] == resident.party.display_name  # filled from the register
    assert (filed.channel.code, history(filed)) == ("web", ["filed"])

    # The emails a resident gets: the question waiting in the portal and the form's receipt.
    address = resident.party.contact_points.get(kind="email").value
    told_about = {number for message in mail.outbox if message.to == [address]
                  for number in (handled.number, waiting.number, filed.number) if number in message.subject}
    assert told_about == {waiting.number, filed.number}


def test_the_resident_sees_them_in_the_portal_and_can_answer_the_question(db, django_capture_on_commit_callbacks):
    run_demo(django_capture_on_commit_callbacks)
    resident = User.objects.get(username="asukas")
    errands = open_errands(resident)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(resident)

    home = html.unescape(client.get("/portal/").content.decode())
    for errand in errands.values():
        assert errand.number in home
    assert "Being handled" in home and "Waiting for you" in home and "Received" in home

    waiting = errands[Status.WAITING]
    page = html.unescape(client.get(f"/portal/requests/{waiting.number}/").content.decode())
    question = waiting.messages.get().body
    assert "Our question to you" in page and question in page

    answered = client.post(f"/portal/requests/{waiting.number}/answer/",
                           {"version": waiting.version, "answer": "Kolmen metrin päähän rajasta; naapuri suostuu."})
    assert answered.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROGRESS


def test_running_the_demo_again_adds_nothing_for_the_resident(db, django_capture_on_commit_callbacks):
    first = run_demo(django_capture_on_commit_callbacks)
    assert "the demo resident's open errands … ESI-" in first
    models = [ServiceRequest, RequestEvent, Message, Contact, Submission]
    before = {model: model.objects.count() for model in models}
    emails = len(mail.outbox)
    assert emails

    second = run_demo(django_capture_on_commit_callbacks)

    assert "the demo resident's open errands … already there" in second
    assert {model: model.objects.count() for model in models} == before
    assert len(mail.outbox) == emails
