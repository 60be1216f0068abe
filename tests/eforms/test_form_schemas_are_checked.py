"""A form's questions are checked before a version is saved, in the admin as in the loader:
a broken schema is refused with the place of the mistake, and nothing is saved."""

import json

import pytest
from pydantic import ValidationError

from aspa.eforms.models import FormVersion
from aspa.eforms.schema import parse, readable_errors
from aspa.identity.models import Role
from tests.factories.eforms import make_form, one_section, text
from tests.factories.identity import UserFactory

NAME = {"name": "name", "type": "text", "label": text("Nimi")}
KIND = {"name": "kind", "type": "choice", "label": text("Laji"),
        "choices": [{"value": "a", "label": text("A")}, {"value": "b", "label": text("B")}]}


def errors_of(schema) -> str:
    with pytest.raises(ValidationError) as refused:
        parse(schema)
    return "\n".join(readable_errors(refused.value))


def test_a_valid_schema_is_accepted():
    schema = parse(one_section(NAME, KIND, {"name": "why", "type": "textarea", "label": text("Miksi"),
                                            "show_if": {"field": "kind", "equals": "b"}}))
    assert [field.name for field in schema.fields()] == ["name", "kind", "why"]


@pytest.mark.parametrize(("schema", "expected"), [
    (one_section({**NAME, "type": "colour"}), "type"),
    (one_section({**NAME, "label": {"fi": "Nimi", "en": "Name"}}), "sv"),
    (one_section({**KIND, "choices": []}), "needs choices"),
    (one_section(NAME, NAME), "two fields are named 'name'"),
    (one_section({**NAME, "show_if": {"field": "kind"}}, KIND), "not an earlier field"),
    (one_section(KIND, {**NAME, "show_if": {"field": "kind", "equals": "c"}}), "has no choice 'c'"),
    (one_section({**NAME, "type": "number", "min": 5, "max": 1}), "min is greater than max"),
    (one_section({**NAME, "prefill": "person.national_id"}), "cannot fill"),
    (one_section({**NAME, "colour": "red"}), "colour"),
    ({"sections": []}, "sections"),
])
def test_a_broken_schema_is_refused_with_the_place_of_the_mistake(schema, expected):
    assert expected in errors_of(schema)


def test_the_admin_refuses_a_broken_version_and_saves_nothing(catalogue, client):
    form = make_form(catalogue, one_section(NAME))
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post("/admin/eforms/formversion/add/", {
        "form": form.pk, "schema": '{"sections": [{"name": "main", "title": {"fi": "T"}, "fields": []}]}'})

    assert response.status_code == 200
    page = response.content.decode()
    assert "sections.0.title.sv" in page and "sections.0.fields" in page
    assert list(form.versions.values_list("number", flat=True)) == [1]


def test_the_admin_publishes_a_new_version_and_leaves_the_old_one(catalogue, client):
    form = make_form(catalogue, one_section(NAME))
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    new_schema = one_section(NAME, KIND)

    # The new version starts as a copy of the newest one.
    add_page = client.get(f"/admin/eforms/formversion/add/?form={form.pk}").content.decode()
    assert "&quot;name&quot;" in add_page or '"name"' in add_page
    response = client.post("/admin/eforms/formversion/add/", {"form": form.pk, "schema": json.dumps(new_schema)})

    assert response.status_code == 302
    versions = {version.number: version for version in FormVersion.objects.filter(form=form)}
    assert set(versions) == {1, 2}
    assert versions[1].schema == one_section(NAME)
    assert versions[2].schema == new_schema
    assert versions[2].created_by == admin


def test_the_form_page_in_the_admin_links_to_publishing_a_new_version(catalogue, client):
    form = make_form(catalogue, one_section(NAME))
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    page = client.get(f"/admin/eforms/formdefinition/{form.pk}/change/").content.decode()
    assert f"/admin/eforms/formversion/add/?form={form.pk}" in page
