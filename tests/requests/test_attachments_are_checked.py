"""Attachments: the size and the real (sniffed) type are checked before anything is stored."""

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aspa.requests import operations
from aspa.requests.models import Attachment, RequestEvent, Status
from tests.factories.requests import in_status

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
EXE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"
       + b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", EXE)
    return buffer.getvalue()


def _upload(client, service_request, name, data, content_type="application/pdf", **form):
    return client.post(f"requests/{service_request.pk}/attachments",
                       {"file": SimpleUploadedFile(name, data, content_type=content_type), **form}, multipart=True)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("name,data,expected_type", [
    ("hakemus.pdf", PDF, "application/pdf"),
    ("kuva.png", _png(), "image/png"),
    ("liite.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("muistio.txt", "Hyvä käsittelijä,\nliitteenä tiedot.\n".encode(), "text/plain"),
    # The name is wrong but the bytes are a real PNG: the bytes decide.
    ("kuva.pdf", _png(), "image/png"),
])
def test_good_file_is_stored_with_its_sniffed_type_and_hash(api, catalogue, settings, name, data, expected_type):
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)

    response = _upload(client, service_request, name, data, content_type="application/octet-stream")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["content_type"], body["size"]) == (name, expected_type, len(data))
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    download = client.get(f"requests/{service_request.pk}/attachments/{body['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == expected_type
    assert "attachment" in download["Content-Disposition"]
    event = RequestEvent.objects.get(request=service_request, kind="attachment_added")
    assert event.data["sha256"] == body["sha256"]


@pytest.mark.parametrize("name,data", [
    ("hakemus.pdf", EXE),           # a program renamed to look like a PDF
    ("paketti.docx", _zip()),       # a zip that is not a document
    ("data.txt", bytes(range(256))),  # binary that is not text
    ("sivu.pdf", b"<html><script>alert(1)</script></html>"),
])
def test_file_of_a_refused_type_is_not_stored(api, catalogue, settings, name, data):
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)

    response = _upload(client, service_request, name, data)

    assert response.status_code == 422
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_too_large_file_is_refused_with_the_limit(api, catalogue, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)

    response = _upload(client, service_request, "iso.pdf", PDF + b"%" * 2048)

    assert response.status_code == 422
    assert "1.0" in response.json()["error"]["fields"]["file"][0]  # "1.0 KB"
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_empty_file_is_refused(api, catalogue):
    client = api("advisor")
    service_request = in_status(Status.IN_PROGRESS, client.user)
    response = _upload(client, service_request, "tyhja.pdf", b"")
    assert response.status_code == 422


def test_stored_file_is_removed_when_the_database_write_fails(advisor, settings, monkeypatch):
    service_request = in_status(Status.IN_PROGRESS, advisor)

    def broken_record(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(operations.messages, "_record", broken_record)
    with pytest.raises(RuntimeError):
        operations.add_attachment(advisor, service_request, SimpleUploadedFile("a.pdf", PDF))
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_resident_sees_only_attachments_meant_for_them(resident_api, api, catalogue):
    staff = api("advisor")
    resident = resident_api()
    service_request = in_status(Status.IN_PROGRESS, staff.user, party=resident.user.party_id)
    internal = _upload(staff, service_request, "muistio.pdf", PDF, visible_to_customer="false").json()
    shared = _upload(staff, service_request, "paatos.pdf", PDF).json()
    own = _upload(resident, service_request, "oma.png", _png()).json()

    listed = [item["id"] for item in resident.get(f"requests/{service_request.pk}/attachments").json()]

    assert listed == [shared["id"], own["id"]]
    assert resident.get(f"requests/{service_request.pk}/attachments/{internal['id']}").status_code == 404
    assert staff.get(f"requests/{service_request.pk}/attachments/{internal['id']}").status_code == 200


def test_attachment_of_another_request_cannot_be_downloaded_through_this_one(api, catalogue):
    client = api("advisor")
    first = in_status(Status.IN_PROGRESS, client.user)
    second = in_status(Status.IN_PROGRESS, client.user)
    attachment = _upload(client, first, "a.pdf", PDF).json()
    assert client.get(f"requests/{second.pk}/attachments/{attachment['id']}").status_code == 404


def test_files_given_at_filing_are_attached(advisor):
    service_request = operations.file_request(
        advisor, type="question", channel="email", service="yleisneuvonta", description="Liitteenä kuva.",
        attachments=[SimpleUploadedFile("kuva.png", _png())],
    )
    assert [a.content_type for a in service_request.attachments.all()] == ["image/png"]
    assert [e.kind for e in service_request.events.all()] == ["filed", "attachment_added"]


def test_refused_file_at_filing_files_nothing_and_leaves_no_files(advisor, settings):
    from aspa.errors import InvalidInput
    from aspa.requests.models import ServiceRequest

    with pytest.raises(InvalidInput):
        operations.file_request(
            advisor, type="question", channel="email", service="yleisneuvonta", description="Kaksi liitettä.",
            attachments=[SimpleUploadedFile("kuva.png", _png()), SimpleUploadedFile("ohjelma.pdf", EXE)],
        )
    assert not ServiceRequest.objects.exists()
    assert _stored_files(settings) == []
