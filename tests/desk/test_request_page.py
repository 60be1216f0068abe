"""The read-only request page of the desk: summary, history, messages, attachments."""

from django.core.files.uploadedfile import SimpleUploadedFile

from aspa.audit.models import AuditEntry
from aspa.requests import operations


def test_request_page_shows_summary_history_and_messages(world, signed_in):
    request = world.waiting
    operations.add_message(world.advisor, request, body="Sisäinen huomio", visibility="internal")
    operations.add_attachment(world.advisor, request,
                              SimpleUploadedFile("kartta.txt", b"Kartta tontista", content_type="text/plain"),
                              visible_to_customer=False)
    response = signed_in(world.advisor).get(f"/desk/requests/{request.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Service request {request.number}" in page
    assert "Maija Meikäläinen" in page
    assert "Waiting for the customer" in page
    # History in the order it happened.
    assert page.index("Request filed") < page.index("More information asked from the customer")
    assert "Mikä on osoitteenne?" in page
    assert "Sisäinen huomio" in page
    assert "kartta.txt" in page
    assert "not visible to the customer" in page


def test_request_can_be_opened_by_its_number_in_any_case(world, signed_in):
    response = signed_in(world.advisor).get(f"/desk/requests/{world.mine.number.lower()}/")
    assert response.status_code == 200


def test_overdue_request_says_so_in_words(world, signed_in):
    page = signed_in(world.advisor).get(f"/desk/requests/{world.overdue.number}/").content.decode()
    assert "Overdue" in page
    assert "In progress" in page


def test_expert_cannot_open_another_departments_request(world, signed_in):
    client = signed_in(world.expert)
    assert client.get(f"/desk/requests/{world.unassigned.number}/").status_code == 404
    assert client.get(f"/desk/requests/{world.building.number}/").status_code == 200


def test_missing_request_is_not_found(world, signed_in):
    response = signed_in(world.advisor).get("/desk/requests/ESI-1999-000001/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_opening_a_persons_request_is_audited(world, signed_in):
    signed_in(world.advisor).get(f"/desk/requests/{world.mine.number}/")
    entry = AuditEntry.objects.get(actor=world.advisor, object_type="service_request")
    assert entry.object_id == str(world.mine.pk)
    assert entry.party_id == world.customer.pk
    assert entry.purpose == f"GET /desk/requests/{world.mine.number}/"
