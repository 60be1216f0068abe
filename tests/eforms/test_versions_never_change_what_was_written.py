"""Publishing a new version of a form changes nothing that was written on an older one: a
draft resumes on its own version and a submission keeps it. Loading the shipped files again
changes nothing; a changed file becomes a new version."""

import json

from django.core.management import call_command

from aspa.eforms.loading import SHIPPED, load_directory
from aspa.eforms.models import Draft, FormVersion, Submission
from aspa.eforms.operations import publish_version
from tests.factories.eforms import make_form, make_resident, one_section, signed_in_client, text

OLD = one_section({"name": "wish", "type": "text", "label": text("Toive"), "required": True})
NEW = one_section({"name": "wish", "type": "text", "label": text("Toive"), "required": True},
                  {"name": "age", "type": "number", "label": text("Ikä"), "required": True})


def test_a_draft_and_a_submission_keep_their_version(catalogue):
    form = make_form(catalogue, OLD)
    client = signed_in_client(make_resident().user)
    client.post(f"/forms/{form.code}/", {"f-wish": "Penkki", "action": "save"})
    draft = Draft.objects.get()

    publish_version(form, NEW)

    assert Draft.objects.get().version.number == 1
    page = client.get(f"/forms/drafts/{draft.token}/").content.decode()
    assert 'name="f-age"' not in page  # the old questions, not the new version's
    client.post(f"/forms/drafts/{draft.token}/", {"f-wish": "Penkki", "action": "preview"})
    client.post(f"/forms/drafts/{draft.token}/submit/")
    assert Submission.objects.get().version.number == 1

    # A new filling starts on the newest version.
    assert 'name="f-age"' in client.get(f"/forms/{form.code}/").content.decode()


def test_loading_the_shipped_forms_again_changes_nothing(city):
    before = set(FormVersion.objects.values_list("pk", flat=True))

    loaded = load_directory()

    assert len(loaded) == 9 and not any(entry.changed for entry in loaded)
    assert set(FormVersion.objects.values_list("pk", flat=True)) == before


def test_a_changed_file_becomes_a_new_version(city, tmp_path):
    data = json.loads((SHIPPED / "kuntalaispalaute.json").read_text(encoding="utf-8"))
    data["schema"]["sections"][0]["fields"][3]["max_length"] = 3000
    data["title"]["en"] = "Feedback"
    (tmp_path / "kuntalaispalaute.json").write_text(json.dumps(data), encoding="utf-8")

    call_command("forms", "load", str(tmp_path))

    versions = FormVersion.objects.filter(form__code="kuntalaispalaute").order_by("number")
    assert [version.number for version in versions] == [1, 2]
    assert versions[1].schema["sections"][0]["fields"][3]["max_length"] == 3000
    assert versions[0].schema["sections"][0]["fields"][3]["max_length"] == 5000
    assert versions[1].form.title_en == "Feedback"


def test_the_demo_loads_the_nine_forms(db):
    from aspa.catalogue.operations import load_catalogue
    from aspa.eforms import demo

    load_catalogue()
    said: list[str] = []
    demo.load_demo(said.append)
    demo.load_demo(said.append)  # a second demo run publishes nothing new

    assert said == ["Electronic forms: 9 loaded (9 new versions).", "Electronic forms: 9 loaded (0 new versions)."]
    assert FormVersion.objects.count() == 9
