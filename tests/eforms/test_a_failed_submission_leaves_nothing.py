"""A submission that fails halfway leaves no request, no submission and no file: the draft
is still there to send again."""

import os

import pytest

from aspa.eforms import operations
from aspa.eforms.models import Draft, DraftFile, Submission
from aspa.requests.models import Attachment, ServiceRequest
from tests.factories.eforms import VALID_ANSWERS, make_resident, pdf_file, signed_in_client


def attachment_files(media_root) -> list[str]:
    folder = media_root / "attachments"
    return [name for _root, _dirs, names in os.walk(folder) for name in names] if folder.exists() else []


def test_a_failure_after_the_request_was_filed_rolls_everything_back(city, settings, monkeypatch):
    client = signed_in_client(make_resident().user)
    client.post("/forms/venepaikkahakemus/", {**VALID_ANSWERS["venepaikkahakemus"], "f-insurance": pdf_file()})
    draft = Draft.objects.get()

    def broken(*args, **kwargs):
        assert attachment_files(settings.MEDIA_ROOT)  # the request's file had been written
        raise RuntimeError("mail system down")

    monkeypatch.setattr(operations, "_schedule_receipt", broken)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(f"/forms/drafts/{draft.token}/submit/")

    assert not ServiceRequest.objects.exists()
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert attachment_files(settings.MEDIA_ROOT) == []
    assert Draft.objects.filter(pk=draft.pk).exists() and DraftFile.objects.count() == 1


def test_a_refused_attachment_files_nothing(city, settings, monkeypatch):
    client = signed_in_client(make_resident().user)
    client.post("/forms/venepaikkahakemus/", {**VALID_ANSWERS["venepaikkahakemus"], "f-insurance": pdf_file()})
    draft = Draft.objects.get()
    # The limit was lowered after the draft was saved: the file is refused at filing time.
    settings.ATTACHMENT_MAX_BYTES = 10

    response = client.post(f"/forms/drafts/{draft.token}/submit/")

    assert response.status_code == 422
    assert "The file is too large" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Submission.objects.exists()
    assert attachment_files(settings.MEDIA_ROOT) == []
