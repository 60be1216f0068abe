"""Conditional sections and questions are decided on the server: a question that does not
apply is neither required nor kept, whatever the browser sent; one that applies is checked."""

from aspa.eforms import answers
from aspa.eforms.models import Draft
from aspa.eforms.schema import parse
from tests.factories.eforms import make_form, make_resident, signed_in_client, text

SCHEMA = {"sections": [
    {"name": "basics", "title": text("Perustiedot"), "fields": [
        {"name": "has_boat", "type": "checkbox", "label": text("Minulla on vene")},
        {"name": "kind", "type": "choice", "label": text("Laji"), "required": True,
         "choices": [{"value": "sail", "label": text("Purje")}, {"value": "motor", "label": text("Moottori")}]},
        {"name": "engine_kw", "type": "number", "label": text("Teho"), "required": True,
         "show_if": {"field": "kind", "equals": "motor"}},
    ]},
    {"name": "boat", "title": text("Vene"), "show_if": {"field": "has_boat", "equals": True}, "fields": [
        {"name": "boat_name", "type": "text", "label": text("Veneen nimi"), "required": True},
        {"name": "mast", "type": "number", "label": text("Maston korkeus"),
         "show_if": {"field": "boat_name"}},
    ]},
]}


def test_questions_that_do_not_apply_are_neither_required_nor_kept():
    schema = parse(SCHEMA)
    checked = answers.check(schema, {"has_boat": False, "kind": "sail", "engine_kw": "oops",
                                     "boat_name": "", "mast": "12"})
    assert checked.errors == {}
    assert checked.answers == {"has_boat": False, "kind": "sail"}


def test_questions_that_apply_are_required_and_checked():
    schema = parse(SCHEMA)
    checked = answers.check(schema, {"has_boat": True, "kind": "motor", "engine_kw": "", "boat_name": ""})
    assert set(checked.errors) == {"engine_kw", "boat_name"}
    checked = answers.check(schema, {"has_boat": True, "kind": "motor", "engine_kw": "20", "boat_name": "Ulla",
                                     "mast": "x"})
    assert checked.errors == {"mast": "Enter a number."}


def test_a_condition_on_a_question_that_is_not_asked_does_not_hold():
    schema = parse(SCHEMA)
    # boat_name is in a section that is not shown, so the mast question is not asked either.
    _sections, shown = answers.shown_fields(schema, {"has_boat": False, "boat_name": "Ulla"})
    assert "mast" not in shown and "boat_name" not in shown


def test_the_page_shows_every_question_with_its_condition_for_readers_without_javascript(catalogue):
    form = make_form(catalogue, SCHEMA)
    client = signed_in_client(make_resident().user)

    page = client.get(f"/forms/{form.code}/").content.decode()

    assert 'id="s-boat"' in page and "data-show-if" in page
    assert "Answer this if you ticked “Minulla on vene (en)”." in page
    assert "Answer this if your answer to “Laji (en)” is: Moottori (en)." in page
    assert 'src="/static/portal/form-conditions.js"' in page and "nonce=" in page

    response = client.post(f"/forms/{form.code}/", {"f-has_boat": "", "f-kind": "sail", "f-engine_kw": "oops",
                                                    "f-boat_name": "", "action": "preview"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert Draft.objects.get().answers["engine_kw"] == "oops"  # kept as written, but not asked
