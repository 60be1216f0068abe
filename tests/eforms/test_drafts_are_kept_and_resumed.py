"""A draft is saved in the database under its author: it is there after signing out and in
again, listed among their unfinished forms, with its files; nobody else can open it."""

import os

from aspa.eforms.models import Draft, DraftFile
from tests.factories.eforms import VALID_ANSWERS, make_resident, pdf_file, signed_in_client


def test_a_draft_is_resumed_after_signing_out(city):
    resident = make_resident()
    client = signed_in_client(resident.user)
    partial = {"f-boat_type": "sailboat", "f-length_m": "8", "f-insurance": pdf_file(), "action": "save"}

    response = client.post("/forms/venepaikkahakemus/", partial)

    assert response.status_code == 302
    draft = Draft.objects.get()
    assert response["Location"] == f"/forms/drafts/{draft.token}/"
    client.logout()
    assert client.get(f"/forms/drafts/{draft.token}/").status_code == 302  # to sign in
    client = signed_in_client(resident.user)

    index = client.get("/forms/").content.decode()
    assert f"/forms/drafts/{draft.token}/" in index
    page = client.get(f"/forms/drafts/{draft.token}/").content.decode()
    assert 'value="sailboat" checked' in page
    assert 'value="8"' in page
    assert "vakuutus.pdf" in page


def test_saving_an_incomplete_draft_is_not_an_error(city):
    client = signed_in_client(make_resident().user)
    response = client.post("/forms/venepaikkahakemus/", {"f-boat_type": "", "action": "save"})
    assert response.status_code == 302
    assert Draft.objects.count() == 1


def test_a_draft_is_completed_and_its_file_removed_on_request(city, django_capture_on_commit_callbacks):
    resident = make_resident()
    client = signed_in_client(resident.user)
    client.post("/forms/venepaikkahakemus/", {"f-insurance": pdf_file(), "action": "save"})
    draft = Draft.objects.get()
    stored = DraftFile.objects.get()
    path = stored.file.path

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forms/drafts/{draft.token}/", {
            **VALID_ANSWERS["venepaikkahakemus"], "remove-file": str(stored.token), "action": "preview"})

    # The insurance certificate is required and was removed: the resident is asked for it again.
    assert response.status_code == 422
    assert "Add a file." in response.content.decode()
    assert not DraftFile.objects.exists()
    assert not os.path.exists(path)


def test_another_resident_cannot_open_a_draft(city):
    owner = signed_in_client(make_resident().user)
    owner.post("/forms/venepaikkahakemus/", {"f-boat_type": "sailboat", "action": "save"})
    draft = Draft.objects.get()
    other = signed_in_client(make_resident(username="naapuri", email="naapuri@example.fi").user)

    for path in (f"/forms/drafts/{draft.token}/", f"/forms/drafts/{draft.token}/preview/"):
        assert other.get(path).status_code == 404
    assert other.post(f"/forms/drafts/{draft.token}/", {"action": "save"}).status_code == 404
    assert other.post(f"/forms/drafts/{draft.token}/submit/").status_code == 404
    assert other.post(f"/forms/drafts/{draft.token}/delete/").status_code == 404
    assert f"/forms/drafts/{draft.token}/" not in other.get("/forms/").content.decode()
    assert Draft.objects.get().answers["boat_type"] == "sailboat"


def test_a_draft_is_deleted_with_its_files(city, django_capture_on_commit_callbacks):
    client = signed_in_client(make_resident().user)
    client.post("/forms/venepaikkahakemus/", {"f-insurance": pdf_file(), "action": "save"})
    draft = Draft.objects.get()
    path = DraftFile.objects.get().file.path

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forms/drafts/{draft.token}/delete/")

    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert not os.path.exists(path)


def test_stale_drafts_are_purged_with_their_files(city, django_capture_on_commit_callbacks):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    client = signed_in_client(make_resident().user)
    client.post("/forms/venepaikkahakemus/", {"f-insurance": pdf_file(), "action": "save"})
    fresh = signed_in_client(make_resident(username="tuore", email="tuore@example.fi").user)
    fresh.post("/forms/venepaikkahakemus/", {"f-boat_type": "sailboat", "action": "save"})
    old = Draft.objects.get(files__isnull=False)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=91))
    path = DraftFile.objects.get().file.path

    with django_capture_on_commit_callbacks(execute=True):
        call_command("forms", "purge-drafts", "--days", "90")

    assert list(Draft.objects.values_list("answers__boat_type", flat=True)) == ["sailboat"]
    assert not os.path.exists(path)


def test_sending_after_the_session_ended_leads_back_to_the_preview(city):
    resident = make_resident()
    client = signed_in_client(resident.user)
    client.post("/forms/venepaikkahakemus/", {**VALID_ANSWERS["venepaikkahakemus"], "f-insurance": pdf_file()})
    draft = Draft.objects.get()
    client.logout()

    refused = client.post(f"/forms/drafts/{draft.token}/submit/")
    assert refused.status_code == 302 and refused["Location"].startswith("/saml/login/")
    # Signed in again, the sign-in returns to the submit address with a GET: to the preview, nothing filed.
    client = signed_in_client(resident.user)
    back = client.get(f"/forms/drafts/{draft.token}/submit/")
    assert back["Location"] == f"/forms/drafts/{draft.token}/preview/"
    assert Draft.objects.filter(pk=draft.pk).exists()
