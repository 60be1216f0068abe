"""Reading, checking and showing the answers to a form version, field by field.

Answers are kept as JSON: a string for most fields ("" when empty), a list of choice values
for a multichoice, true/false for a checkbox, and a list of file descriptions for a file
field. Conditions are evaluated here, on the server: a field that is not shown is neither
checked nor kept, whatever the browser sent."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.fi import hetu

from aspa.customers.validation import (
    normalise_business_id,
    normalise_email,
    normalise_national_id,
    normalise_phone,
)
from aspa.eforms.schema import Condition, FormField, FormSchema
from aspa.errors import InvalidInput
from aspa.identity.access import mask_national_id

DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 5000}
FILE_FIELD = "file"


def empty_answer(field: FormField):
    if field.type == "multichoice":
        return []
    if field.type == "checkbox":
        return False
    if field.type == FILE_FIELD:
        return []
    return ""


def has_value(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return bool(value)
    return bool(str(value or "").strip())


def _holds(condition: Condition | None, answers: dict, shown: set[str]) -> bool:
    if condition is None:
        return True
    if condition.field not in shown:
        return False  # an answer to a question that is not asked counts as no answer
    value = answers.get(condition.field)
    if isinstance(condition.equals, bool):
        return bool(value) is condition.equals
    wanted = condition.values()
    if wanted is None:
        return has_value(value)
    given = value if isinstance(value, list) else [value]
    return any(item in wanted for item in given)


def shown_fields(schema: FormSchema, answers: dict) -> tuple[set[str], set[str]]:
    """(names of the sections shown, names of the fields shown) for these answers."""
    sections: set[str] = set()
    fields: set[str] = set()
    for section in schema.sections:
        if not _holds(section.show_if, answers, fields):
            continue
        sections.add(section.name)
        for field in section.fields:
            if _holds(field.show_if, answers, fields):
                fields.add(field.name)
    return sections, fields


def read_post(schema: FormSchema, data) -> dict:
    """The answers a browser posted (`data` is request.POST), as raw JSON values. Files are
    not read here: they are stored with the draft and described in its answers."""
    answers: dict = {}
    for field in schema.fields():
        key = f"f-{field.name}"
        if field.type == "multichoice":
            answers[field.name] = [value for value in data.getlist(key) if value]
        elif field.type == "checkbox":
            answers[field.name] = data.get(key) in ("on", "true", "1", "yes")
        elif field.type == FILE_FIELD:
            continue
        else:
            answers[field.name] = (data.get(key) or "").strip()
    return answers


def _number(field: FormField, value: str) -> str:
    try:
        number = Decimal(value.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        raise ValueError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Enter a number."))
    if field.min is not None and number < Decimal(str(field.min)):
        raise ValueError(_("The smallest accepted value is %(min)s.") % {"min": _plain_number(field.min)})
    if field.max is not None and number > Decimal(str(field.max)):
        raise ValueError(_("The largest accepted value is %(max)s.") % {"max": _plain_number(field.max)})
    return format(number.normalize(), "f")


def _plain_number(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _date(value: str) -> str:
    found = _FINNISH_DATE.match(value)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return datetime.date(year, month, day).isoformat()
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(_("Enter a date, for example 31.12.2026.")) from None


def first_message(refusal: InvalidInput) -> str:
    fields = getattr(refusal, "fields", None) or {}
    for problems in fields.values():
        for problem in problems:
            return str(problem)
    return str(refusal)


def _through(normalise, value: str) -> str:
    try:
        return normalise(value, "value")
    except InvalidInput as refusal:
        raise ValueError(first_message(refusal)) from None


def clean_value(field: FormField, value):
    """The answer in its stored form, or ValueError with the message for the resident."""
    if field.type in ("text", "textarea"):
        limit = field.max_length or DEFAULT_MAX_LENGTH[field.type]
        if len(value) > limit:
            raise ValueError(ngettext("Write at most %(limit)s character.", "Write at most %(limit)s characters.",
                                      limit) % {"limit": limit})
        return value
    if field.type == "number":
        return _number(field, value)
    if field.type == "date":
        return _date(value)
    if field.type == "email":
        return _through(normalise_email, value)
    if field.type == "phone":
        return _through(normalise_phone, value)
    if field.type == "national_id":
        # The register's own check, which also refuses test codes where they are not allowed.
        return _through(normalise_national_id, value)
    if field.type == "business_id":
        return _through(normalise_business_id, value)
    if field.type == "choice":
        if value not in {choice.value for choice in field.choices}:
            raise ValueError(_("Choose one of the options."))
        return value
    if field.type == "multichoice":
        known = {choice.value for choice in field.choices}
        if any(item not in known for item in value):
            raise ValueError(_("Choose from the options."))
        chosen = [choice.value for choice in field.choices if choice.value in value]
        if field.min is not None and len(chosen) < field.min:
            raise ValueError(_("Choose at least %(min)s.") % {"min": _plain_number(field.min)})
        if field.max is not None and len(chosen) > field.max:
            raise ValueError(_("Choose at most %(max)s.") % {"max": _plain_number(field.max)})
        return chosen
    if field.type == FILE_FIELD:
        if len(value) > field.max_files:
            raise ValueError(ngettext("Add at most %(count)s file.", "Add at most %(count)s files.",
                                      field.max_files) % {"count": field.max_files})
        return value
    return value  # checkbox


def required_message(field: FormField) -> str:
    if field.type in ("choice", "multichoice"):
        return _("Choose an option.")
    if field.type == "checkbox":
        return _("Tick the box to continue.")
    if field.type == FILE_FIELD:
        return _("Add a file.")
    return _("This field is required.")


@dataclass
class Checked:
    answers: dict  # only the fields shown, in their stored form
    errors: dict[str, str]


def check(schema: FormSchema, raw: dict) -> Checked:
    """Check every shown field; hidden fields are dropped. Values that fail keep their raw
    form in `answers`, so the resident sees what they wrote next to the message."""
    _sections, shown = shown_fields(schema, raw)
    answers: dict = {}
    errors: dict[str, str] = {}
    for field in schema.fields():
        if field.name not in shown:
            continue
        value = raw.get(field.name, empty_answer(field))
        if isinstance(value, str):
            value = value.strip()
        if not has_value(value):
            answers[field.name] = empty_answer(field)
            if field.required:
                errors[field.name] = required_message(field)
            continue
        try:
            answers[field.name] = clean_value(field, value)
        except ValueError as problem:
            answers[field.name] = value
            errors[field.name] = str(problem)
    return Checked(answers=answers, errors=errors)


def display(field: FormField, value, *, mask_identity: bool = False) -> str:
    """The answer as a person reads it, in the current language. With `mask_identity`, a
    henkilötunnus shows its date of birth only (for readers whose role may not see it whole)."""
    if not has_value(value):
        return "–" if field.type != "checkbox" else _("No")
    if field.type == "checkbox":
        return _("Yes")
    if field.type in ("choice", "multichoice"):
        labels = {choice.value: choice.label.current() for choice in field.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(item, item) for item in values)
    if field.type == FILE_FIELD:
        return ", ".join(item.get("name", "") for item in value)
    if field.type == "date":
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    if field.type == "national_id":
        shown = hetu.format(value) if hetu.is_valid(value, allow_temporary=True) else str(value)
        return mask_national_id(shown) if mask_identity else shown
    return str(value)


def summary(schema: FormSchema, answers: dict, *, mask_identity: bool = False) -> list[dict]:
    """The shown sections with their shown fields' answers, for the preview, copy and PDF."""
    shown_sections, shown = shown_fields(schema, answers)
    result = []
    for section in schema.sections:
        if section.name not in shown_sections:
            continue
        rows = [{"name": field.name, "label": field.label.current(), "value": display(field, answers.get(field.name), mask_identity=mask_identity)}
                for field in section.fields if field.name in shown]
        result.append({"name": section.name, "title": section.title.current(), "rows": rows})
    return result
