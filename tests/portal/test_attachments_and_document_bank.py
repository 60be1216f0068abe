"""A resident downloads their own errand's files the customer may see, and finds the decisions and
resolutions of their errands in the document bank. Staff mark a file a decision on the desk or
through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aspa.identity.models import Role
from aspa.requests import operations
from aspa.requests.models import Attachment
from tests.factories.identity import UserFactory
from tests.portal.self_service_world import with_organisation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str = "päätös 2026.pdf", data: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def attach(world, item, *, name="päätös 2026.pdf", visible=True, decision=False) -> Attachment:
    return operations.add_attachment(world.advisor, item, upload(name), visible_to_customer=visible,
                                     is_decision=decision)


def download(client, item, attachment):
    return client.get(f"/portal/requests/{item.number}/attachments/{attachment.pk}/")


def test_the_resident_downloads_their_own_file_safely(world, signed_in):
    attachment = attach(world, world.received, name='päätös "lopullinen"\r\n.pdf')
    response = download(signed_in(world.resident), world.received, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"  # as stored when the content was checked
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "filename*=utf-8''" in disposition  # the non-ASCII name encoded, not raw
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_errand_page_links_the_files_the_customer_may_see_only(world, signed_in):
    shown = attach(world, world.received, name="kartta.pdf")
    hidden = attach(world, world.received, name="sisainen-muistio.pdf", visible=False)
    page = signed_in(world.resident).get(f"/portal/requests/{world.received.number}/").content.decode()
    assert f"/portal/requests/{world.received.number}/attachments/{shown.pk}/" in page
    assert "sisainen-muistio.pdf" not in page and f"/attachments/{hidden.pk}/" not in page


def test_internal_files_and_other_peoples_files_are_not_found(world, signed_in):
    internal = attach(world, world.received, visible=False)
    own = attach(world, world.received)
    neighbours = attach(world, world.neighbours)
    client = signed_in(world.resident)
    assert download(client, world.received, internal).status_code == 404
    assert download(client, world.neighbours, neighbours).status_code == 404
    # An own request's number with another request's file id is no way round.
    assert download(client, world.received, neighbours).status_code == 404
    assert download(signed_in(world.neighbour), world.received, own).status_code == 404


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.ADMIN])
def test_staff_use_the_desk_not_the_portal_download(world, signed_in, role):
    own = attach(world, world.received)
    assert download(signed_in(UserFactory(role=role)), world.received, own).status_code == 403


def test_the_document_bank_lists_decisions_and_resolutions_newest_first(world, signed_in):
    attach(world, world.received, name="kartta.pdf")  # an ordinary file: not a document
    decision = attach(world, world.received, name="päätös.pdf", decision=True)
    item = world.received
    item.refresh_from_db()
    operations.resolve(world.advisor, item, version=item.version, resolution="Katulamppu vaihdettu.")
    attach(world, world.neighbours, name="naapurin-päätös.pdf", decision=True)

    page = signed_in(world.resident).get("/portal/documents/").content.decode()
    assert "kartta.pdf" not in page and "naapurin-päätös.pdf" not in page
    assert page.index("Katulamppu vaihdettu.") < page.index("päätös.pdf")  # resolved after the decision came
    assert f"/portal/requests/{item.number}/attachments/{decision.pk}/" in page


def test_a_reopened_errands_old_resolution_leaves_the_document_bank(world, signed_in):
    item = world.received
    operations.resolve(world.advisor, item, version=item.version, resolution="Katulamppu vaihdettu.")
    item.refresh_from_db()
    operations.reopen(world.advisor, item, version=item.version, reason="Lamppu sammui taas.")
    assert "Katulamppu vaihdettu." not in signed_in(world.resident).get("/portal/documents/").content.decode()


def test_the_document_bank_of_an_organisation_is_seen_when_acting_for_it(world, signed_in):
    company = with_organisation(world)
    attach(world, company.errand, name="yrityksen-päätös.pdf", decision=True)
    client = signed_in(world.resident)
    assert "yrityksen-päätös.pdf" not in client.get("/portal/documents/").content.decode()
    client.post("/portal/act-for/", {"party": company.organisation.pk})
    assert "yrityksen-päätös.pdf" in client.get("/portal/documents/").content.decode()


def test_a_resident_cannot_mark_their_own_file_a_decision(world):
    attachment = operations.add_attachment(world.resident, world.received, upload(), visible_to_customer=False,
                                           is_decision=True)
    assert (attachment.visible_to_customer, attachment.is_decision) == (True, False)


def test_the_desk_marks_a_file_a_decision_and_refuses_a_hidden_decision(world, signed_in):
    client = signed_in(world.advisor)
    item = world.received

    def act(**fields):
        item.refresh_from_db()
        return client.post(f"/desk/requests/{item.number}/actions/attach/",
                           {"version": item.version, "file": upload(), **fields})

    assert "Decision document" in client.get(f"/desk/requests/{item.number}/").content.decode()
    refused = act(is_decision="on")  # not visible to the customer
    assert refused.status_code == 422
    assert not Attachment.objects.filter(request=item).exists()
    act(is_decision="on", visible_to_customer="on")
    assert Attachment.objects.get(request=item).is_decision is True
    assert "– decision document" in client.get(f"/desk/requests/{item.number}/").content.decode()


def test_the_api_marks_a_file_a_decision(world, api):
    client = api(user=world.advisor)
    response = client.post(f"requests/{world.received.pk}/attachments",
                           {"file": upload(), "visible_to_customer": "true", "is_decision": "true"}, multipart=True)
    assert response.status_code == 201, response.content
    assert response.json()["is_decision"] is True
    refused = client.post(f"requests/{world.received.pk}/attachments",
                          {"file": upload(), "visible_to_customer": "false", "is_decision": "true"},
                          multipart=True)
    assert refused.status_code == 422
    assert "is_decision" in refused.json()["error"]["fields"]
