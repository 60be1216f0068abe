"""What the form page needs to draw a version's fields: labels and help in the current
language, the answers given so far, each field's error and the ids that tie them together."""

import json

from django.utils.translation import gettext as _

from aspa.eforms import answers as form_answers
from aspa.eforms.schema import Condition, FormField, FormSchema

INPUT_TYPES = {"email": "email", "phone": "tel", "date": "date"}
AUTOCOMPLETE = {"person.name": "name", "person.first_name": "given-name", "person.last_name": "family-name",
                "person.email": "email", "person.phone": "tel", "person.street": "street-address",
                "person.postal_code": "postal-code", "person.city": "address-level2",
                "organisation.name": "organization"}


def _condition_json(condition: Condition | None) -> str:
    return json.dumps(condition.model_dump(exclude_none=True)) if condition is not None else ""


def _condition_hint(condition: Condition | None, fields: dict[str, FormField]) -> str:
    """For readers without JavaScript, who see every question: when this one applies."""
    if condition is None:
        return ""
    target = fields[condition.field]
    if isinstance(condition.equals, bool):
        return _("Answer this if you ticked “%(question)s”.") % {"question": target.label.current()}
    wanted = condition.values()
    if wanted is None:
        return _("Answer this if you answered “%(question)s”.") % {"question": target.label.current()}
    labels = {choice.value: choice.label.current() for choice in target.choices}
    return _("Answer this if your answer to “%(question)s” is: %(values)s.") % {
        "question": target.label.current(), "values": ", ".join(labels[value] for value in wanted)}


def _field(field: FormField, value, error: str, fields: dict[str, FormField]) -> dict:
    element_id = f"f-{field.name}"
    described = []
    help_text = field.help.current() if field.help else ""
    hint = _condition_hint(field.show_if, fields)
    if help_text or hint:
        described.append(f"{element_id}-help")
    if error:
        described.append(f"{element_id}-error")
    values = value if isinstance(value, list) else [value]
    return {
        "name": field.name, "id": element_id, "html_name": element_id, "type": field.type,
        "input_type": INPUT_TYPES.get(field.type, "text"),
        "inputmode": "decimal" if field.type == "number" else "",
        "autocomplete": AUTOCOMPLETE.get(field.prefill or "", "off"),
        "label": field.label.current(), "help": help_text, "hint": hint, "required": field.required,
        "value": value if not isinstance(value, (list, bool)) else "", "checked": value is True,
        "error": error, "describedby": " ".join(described),
        "max_length": field.max_length or form_answers.DEFAULT_MAX_LENGTH.get(field.type),
        "choices": [{"value": choice.value, "label": choice.label.current(), "checked": choice.value in values,
                     "id": f"{element_id}-{choice.value}"} for choice in field.choices],
        "files": value if field.type == form_answers.FILE_FIELD else [],
        "multiple": field.max_files > 1,
        "show_if": _condition_json(field.show_if),
    }


def sections(schema: FormSchema, answers: dict, errors: dict[str, str]) -> list[dict]:
    fields = {field.name: field for field in schema.fields()}
    return [{
        "name": section.name, "id": f"s-{section.name}", "title": section.title.current(),
        "intro": section.intro.current() if section.intro else "",
        "hint": _condition_hint(section.show_if, fields),
        "show_if": _condition_json(section.show_if),
        "fields": [_field(field, answers.get(field.name, form_answers.empty_answer(field)),
                          errors.get(field.name, ""), fields) for field in section.fields],
    } for section in schema.sections]


def error_list(schema: FormSchema, errors: dict[str, str]) -> list[dict]:
    """The errors in the order of the form, for the summary at the top that links to each field."""
    return [{"id": _focus_id(field), "label": field.label.current(), "message": errors[field.name]}
            for field in schema.fields() if field.name in errors]


def _focus_id(field: FormField) -> str:
    # A group of options has no element of its own to focus: the link goes to its first option.
    if field.choices:
        return f"f-{field.name}-{field.choices[0].value}"
    return f"f-{field.name}"
