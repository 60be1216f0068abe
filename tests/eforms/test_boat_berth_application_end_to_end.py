"""A resident fills in the boat berth application: prefilled from their record, previewed,
sent with the insurance certificate; one request is filed with the answers kept and a receipt
shown and emailed in their language."""

import re

from django.core import mail

from aspa.eforms.models import Draft, Submission
from aspa.eforms.pdf import FONT_DIRECTORIES
from aspa.requests.models import ServiceRequest, Status
from tests.factories.eforms import VALID_ANSWERS, make_resident, pdf_file, signed_in_client


def test_the_form_is_prefilled_from_the_residents_record(city):
    resident = make_resident()
    client = signed_in_client(resident.user)

    page = client.get("/forms/venepaikkahakemus/").content.decode()

    assert 'value="Maija Meikäläinen"' in page
    assert 'value="maija@example.fi"' in page
    assert 'value="+358401234567"' in page
    assert 'value="Rantakatu 5 A 3, 90100 Esimerkkilä"' in page
    assert f'value="{resident.party.national_id}"' in page


def test_a_resident_files_a_boat_berth_application_with_an_attachment(city, django_capture_on_commit_callbacks):
    resident = make_resident()
    client = signed_in_client(resident.user, language="fi")

    answers = {**VALID_ANSWERS["venepaikkahakemus"], "action": "preview", "f-insurance": pdf_file()}
    response = client.post("/forms/venepaikkahakemus/", answers)
    assert response.status_code == 302, response.content.decode()
    preview_url = response["Location"]
    assert preview_url.endswith("/preview/")
    preview = client.get(preview_url).content.decode()
    assert "Moottorivene" in preview and "6.2" in preview and "vakuutus.pdf" in preview
    assert ServiceRequest.objects.count() == 0  # nothing is filed before the resident sends it

    draft = Draft.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forms/drafts/{draft.token}/submit/")
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()

    service_request = ServiceRequest.objects.get()
    assert service_request.number in receipt
    assert service_request.party == resident.party
    assert (service_request.service.code, service_request.type.code, service_request.channel.code) == (
        "venepaikka", "application", "web")
    assert service_request.status == Status.RECEIVED
    assert "Venepaikkahakemus" in service_request.description
    assert [attachment.original_name for attachment in service_request.attachments.all()] == ["vakuutus.pdf"]
    submission = Submission.objects.get()
    assert submission.request == service_request
    assert submission.answers["boat_type"] == "motorboat"
    assert submission.answers["length_m"] == "6.2"
    assert submission.answers["phone"] == "+358401234567"
    assert submission.answers["insurance"][0]["name"] == "vakuutus.pdf"
    assert not Draft.objects.exists()

    (email,) = mail.outbox
    assert email.to == ["maija@example.fi"]
    assert service_request.number in email.subject
    assert "Venepaikkahakemus" in email.body
    assert "Venepaikan haku ja vuokraus" in email.body
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4}", email.body)  # the due date, written the Finnish way


def test_the_receipt_and_the_printable_copy_show_the_answers(city):
    resident = make_resident()
    client = signed_in_client(resident.user)
    client.post("/forms/venepaikkahakemus/", {**VALID_ANSWERS["venepaikkahakemus"], "f-insurance": pdf_file()})
    draft = Draft.objects.get()
    client.post(f"/forms/drafts/{draft.token}/submit/")
    number = ServiceRequest.objects.get().number

    copy = client.get(f"/forms/copies/{number}/").content.decode()
    assert "Boat berth application" in copy and "Motor boat" in copy and "A12345" in copy
    errand = client.get(f"/portal/requests/{number}/").content.decode()
    assert f"/forms/copies/{number}/" in errand

    document = client.get(f"/forms/copies/{number}/pdf/")
    assert document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")
    if any((directory / "DejaVuSans.ttf").exists() for directory in FONT_DIRECTORIES):
        # The Unicode font is embedded, so å, ä, ö (and any other letter) render as themselves.
        assert b"DejaVuSans" in document.content
