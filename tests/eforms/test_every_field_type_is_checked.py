"""Every type of question is checked on the server: a wrong answer comes back with a message
next to its field (tied to it with aria-describedby), a right one is stored in one form."""

import re

import pytest

from aspa.eforms import answers
from aspa.eforms.models import Draft
from aspa.eforms.schema import parse
from tests.factories.eforms import (
    BUSINESS_ID,
    NATIONAL_ID,
    make_form,
    make_resident,
    one_section,
    signed_in_client,
    text,
)

CHOICES = [{"value": "a", "label": text("A")}, {"value": "b", "label": text("B")}, {"value": "c", "label": text("C")}]
FIELDS = {
    "text": {"type": "text", "max_length": 10},
    "textarea": {"type": "textarea", "max_length": 20},
    "number": {"type": "number", "min": 1, "max": 10},
    "date": {"type": "date"},
    "email": {"type": "email"},
    "phone": {"type": "phone"},
    "choice": {"type": "choice", "choices": CHOICES},
    "multichoice": {"type": "multichoice", "choices": CHOICES, "max": 2},
    "checkbox": {"type": "checkbox"},
    "national_id": {"type": "national_id"},
    "business_id": {"type": "business_id"},
}


def field(name: str, **extra) -> dict:
    return {"name": name, "label": text(name), "required": True, **FIELDS[name], **extra}


@pytest.mark.parametrize(("name", "given", "stored"), [
    ("text", "  Hei  ", "Hei"),
    ("textarea", "Rivi 1\nRivi 2", "Rivi 1\nRivi 2"),
    ("number", "7,50", "7.5"),
    ("date", "31.12.2026", "2026-12-31"),
    ("date", "2026-12-31", "2026-12-31"),
    ("email", "Maija@Example.FI", "maija@example.fi"),
    ("phone", "040 123 4567", "+358401234567"),
    ("choice", "b", "b"),
    ("multichoice", ["c", "a"], ["a", "c"]),
    ("checkbox", True, True),
    ("national_id", NATIONAL_ID.lower(), NATIONAL_ID),
    ("business_id", BUSINESS_ID.replace("-", ""), BUSINESS_ID),
])
def test_a_right_answer_is_stored_in_one_form(name, given, stored):
    schema = parse(one_section(field(name)))
    checked = answers.check(schema, {name: given})
    assert checked.errors == {}
    assert checked.answers[name] == stored


@pytest.mark.parametrize(("name", "given", "message"), [
    ("text", "x" * 11, "Write at most 10 characters."),
    ("textarea", "x" * 21, "Write at most 20 characters."),
    ("number", "kymmenen", "Enter a number."),
    ("number", "0", "The smallest accepted value is 1."),
    ("number", "10.5", "The largest accepted value is 10."),
    ("date", "31.2.2026", "Enter a date, for example 31.12.2026."),
    ("email", "maija@", "This is not a valid email address."),
    ("phone", "12", "This is not a valid phone number."),
    ("choice", "z", "Choose one of the options."),
    ("multichoice", ["a", "b", "c"], "Choose at most 2."),
    ("multichoice", ["z"], "Choose from the options."),
    ("national_id", "010101-1234", "This is not a valid personal identity code."),
    ("business_id", "1234567-0" if BUSINESS_ID != "1234567-0" else "1234567-1",
     "This is not a valid business ID (Y-tunnus)."),
])
def test_a_wrong_answer_gets_a_message(name, given, message):
    schema = parse(one_section(field(name)))
    assert answers.check(schema, {name: given}).errors == {name: message}


@pytest.mark.parametrize("name", list(FIELDS))
def test_a_required_question_must_be_answered(name):
    schema = parse(one_section(field(name)))
    empty = answers.empty_answer(schema.fields()[0])
    assert name in answers.check(schema, {name: empty}).errors


def test_the_message_is_shown_next_to_the_field_and_nothing_is_filed(catalogue):
    form = make_form(catalogue, one_section(field("email"), field("number", required=False)))
    resident = make_resident()
    client = signed_in_client(resident.user)

    response = client.post(f"/forms/{form.code}/", {"f-email": "maija@", "f-number": "99", "action": "preview"})

    assert response.status_code == 422
    page = response.content.decode()
    assert re.search(r'<input[^>]*id="f-email"[^>]*aria-describedby="f-email-error"[^>]*aria-invalid="true"', page)
    assert '<p class="aspa-field__error hds-text-input__error-text" id="f-email-error">This is not a valid email address.</p>' in page
    assert 'id="f-number-error">The largest accepted value is 99' not in page
    assert "The largest accepted value is 10." in page
    assert 'href="#f-email"' in page  # the summary at the top links to the field
    assert 'value="maija@"' in page  # what the resident wrote stays in the box
    # The answers are kept as a draft, but nothing was filed.
    assert Draft.objects.get().answers["email"] == "maija@"
    from aspa.requests.models import ServiceRequest

    assert not ServiceRequest.objects.exists()
