"""The resident answers the centre's question, writes to the customer service and adds files
from the errand's page: plain HTML forms, refusals shown next to the field, nothing written on refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aspa.requests import operations
from aspa.requests.models import Attachment, Message, ServiceRequest, Status
from tests.portal.factories import QUESTION


def page_of(client, number: str) -> str:
    return client.get(f"/portal/requests/{number}/").content.decode()


def customer_messages(service_request) -> int:
    return Message.objects.filter(request=service_request, from_customer=True).count()


def test_waiting_request_shows_the_question_and_an_answer_form(world, signed_in):
    page = page_of(signed_in(world.resident), world.waiting.number)
    assert "Our question to you" in page
    assert QUESTION in page
    assert f'action="/portal/requests/{world.waiting.number}/answer/"' in page
    assert "Your answer" in page


def test_request_not_waiting_has_no_answer_form(world, signed_in):
    page = page_of(signed_in(world.resident), world.received.number)
    assert "/answer/" not in page
    assert "Write to the customer service" in page


def test_answering_moves_the_request_back_to_handling(world, signed_in):
    client = signed_in(world.resident)
    response = client.post(f"/portal/requests/{world.waiting.number}/answer/",
                           {"answer": "Kotikatu 1 A 2", "version": world.waiting.version}, follow=True)
    assert response.status_code == 200
    world.waiting.refresh_from_db()
    assert world.waiting.status == Status.IN_PROGRESS
    page = response.content.decode()
    assert "Thank you. Your answer has been sent." in page
    assert "Kotikatu 1 A 2" in page
    assert "Our question to you" not in page
    answer = Message.objects.get(request=world.waiting, body="Kotikatu 1 A 2")
    assert answer.from_customer and answer.visibility == Message.Visibility.CUSTOMER


def test_empty_answer_is_refused_next_to_the_field_and_nothing_is_written(world, signed_in):
    client = signed_in(world.resident)
    before = world.waiting.version
    response = client.post(f"/portal/requests/{world.waiting.number}/answer/", {"answer": "   ", "version": before})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_answer-error"' in page
    assert "Write your answer before sending it." in page
    assert 'aria-invalid="true"' in page
    world.waiting.refresh_from_db()
    assert (world.waiting.status, world.waiting.version) == (Status.WAITING, before)
    assert customer_messages(world.waiting) == 0


def test_empty_answer_is_refused_in_finnish_for_a_finnish_reader(world, signed_in):
    client = signed_in(world.resident, language="fi")
    response = client.post(f"/portal/requests/{world.waiting.number}/answer/",
                           {"answer": "", "version": world.waiting.version})
    assert response.status_code == 422
    assert "Write your answer before sending it." not in response.content.decode()
    assert 'id="id_answer-error"' in response.content.decode()


def test_answer_based_on_an_old_version_is_not_sent_and_says_why(world, signed_in):
    client = signed_in(world.resident)
    stale = world.waiting.version - 1
    response = client.post(f"/portal/requests/{world.waiting.number}/answer/",
                           {"answer": "Kotikatu 1", "version": stale})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Your request has changed since you opened this page" in page
    assert "Kotikatu 1" in page  # the text is kept so it can be sent again
    assert f'name="version" value="{world.waiting.version}"' in page
    world.waiting.refresh_from_db()
    assert world.waiting.status == Status.WAITING
    assert customer_messages(world.waiting) == 0


def test_message_appears_on_the_page_and_the_centre_sees_it(world, signed_in):
    client = signed_in(world.resident)
    response = client.post(f"/portal/requests/{world.received.number}/messages/",
                           {"body": "Lamppu on pylväässä 12."}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you. Your message has been sent." in page
    assert "Lamppu on pylväässä 12." in page
    message = Message.objects.get(request=world.received, body="Lamppu on pylväässä 12.")
    assert message.from_customer and message.visibility == Message.Visibility.CUSTOMER
    assert message.author == world.resident


def test_empty_or_too_long_message_is_refused(world, signed_in):
    client = signed_in(world.resident)
    url = f"/portal/requests/{world.received.number}/messages/"
    empty = client.post(url, {"body": ""})
    assert empty.status_code == 422 and "Write your message before sending it." in empty.content.decode()
    too_long = client.post(url, {"body": "x" * 20_001})
    assert too_long.status_code == 422 and 'id="id_body-error"' in too_long.content.decode()
    assert customer_messages(world.received) == 0


def test_closed_request_takes_no_messages(world, signed_in):
    client = signed_in(world.resident)
    assert "Write to the customer service" not in page_of(client, world.closed.number)
    response = client.post(f"/portal/requests/{world.closed.number}/messages/", {"body": "Vielä yksi asia"})
    assert response.status_code == 422
    assert "This request is closed." in response.content.decode()
    assert customer_messages(world.closed) == 0


def test_attachment_is_added_and_listed(world, signed_in):
    client = signed_in(world.resident)
    upload = SimpleUploadedFile("kartta.txt", b"Kartta tontista", content_type="text/plain")
    response = client.post(f"/portal/requests/{world.received.number}/attachments/", {"file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you. Your file has been added." in page
    assert "kartta.txt" in page
    assert Attachment.objects.get(request=world.received).visible_to_customer


def test_attachment_whose_content_is_not_an_accepted_type_is_refused_next_to_the_field(world, signed_in):
    client = signed_in(world.resident)
    disguised = SimpleUploadedFile("lomake.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(f"/portal/requests/{world.received.number}/attachments/", {"file": disguised})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_file-error"' in page
    assert "This type of file is not accepted." in page
    assert not Attachment.objects.filter(request=world.received).exists()


def test_attachment_form_shows_the_accepted_types_and_size(world, signed_in):
    page = page_of(signed_in(world.resident), world.received.number)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "Accepted are PDF, images (JPEG, PNG, GIF), text and word-processor documents, at most 10" in page


@pytest.mark.parametrize("action, data", [
    ("answer", {"answer": "Naapurin vastaus", "version": 1}),
    ("messages", {"body": "Naapurin viesti"}),
    ("attachments", {}),
])
def test_another_residents_request_is_not_found_for_every_form(world, signed_in, action, data):
    client = signed_in(world.neighbour)
    if action == "attachments":
        data = {"file": SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")}
    response = client.post(f"/portal/requests/{world.waiting.number}/{action}/", data)
    assert response.status_code == 404
    assert customer_messages(world.waiting) == 0
    assert not Attachment.objects.filter(request=world.waiting).exists()
    assert ServiceRequest.objects.get(pk=world.waiting.pk).status == Status.WAITING


def test_forms_refuse_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.resident)
    for action, data in (("answer", {"answer": "Vastaus", "version": world.waiting.version}),
                         ("messages", {"body": "Viesti"})):
        response = client.post(f"/portal/requests/{world.waiting.number}/{action}/", data)
        assert response.status_code == 403
    assert customer_messages(world.waiting) == 0


def test_the_forms_carry_a_csrf_token(world, signed_in):
    client = signed_in(world.resident)
    token = 'name="csrfmiddlewaretoken"'
    # The service finder has none of the three forms, only the frame's own (language) form.
    frame_only = client.get("/portal/services/").content.decode().count(token)
    assert page_of(client, world.waiting.number).count(token) == frame_only + 3


def test_answer_to_a_question_staff_already_closed_is_kept_in_the_message_box(world, signed_in):
    client = signed_in(world.resident)
    seen = world.waiting.version
    operations.provide_information(world.advisor, world.waiting, version=seen, answer="Asiakas vastasi puhelimessa.")
    response = client.post(f"/portal/requests/{world.waiting.number}/answer/", {"answer": "Kotikatu 1", "version": seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Your request has changed since you opened this page" in page
    assert "Our question to you" not in page
    assert ">Kotikatu 1</textarea>" in page
    assert customer_messages(world.waiting) == 0
