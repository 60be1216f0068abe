"""The shape of a form version's schema, checked with pydantic before a version is saved.

A schema is data an administrator edits in the admin (or ships in data/forms/*.json): sections
of fields, each field with a type, its texts in Finnish, Swedish and English, and optionally a
condition (`show_if`) naming an earlier field whose answer decides whether it is asked at all.
Anything the form engine could trip over later is refused here, with the place of the mistake."""

import re
from typing import Annotated, Literal

from django.utils.translation import get_language
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

FIELD_TYPES = ("text", "textarea", "number", "date", "email", "phone", "choice", "multichoice",
               "checkbox", "file", "national_id", "business_id")
# Where a prefilled answer comes from: the signed-in person's (or acting organisation's) record.
PREFILL_KEYS = ("person.name", "person.first_name", "person.last_name", "person.email", "person.phone",
                "person.address", "person.street", "person.postal_code", "person.city", "person.national_id",
                "organisation.name", "organisation.business_id")
# Which field types each prefill key may fill.
PREFILL_TYPES = {"person.email": {"email", "text"}, "person.phone": {"phone", "text"},
                 "person.national_id": {"national_id"}, "organisation.business_id": {"business_id"},
                 "person.address": {"text", "textarea"}}

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """One text in the three languages of the city."""

    fi: NonEmpty
    sv: NonEmpty
    en: NonEmpty

    def current(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, language, None) or self.fi

    def __str__(self) -> str:
        return self.current()


class Choice(Strict):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,49}$")]
    label: Text


class Condition(Strict):
    """Shown only when the answer to `field` has a value (no `equals`), is one of `equals` (a
    choice or multichoice), or is ticked (`equals: true` for a checkbox)."""

    field: Name
    equals: bool | str | list[str] | None = None

    def values(self) -> list[str] | None:
        if self.equals is None or isinstance(self.equals, bool):
            return None
        return [self.equals] if isinstance(self.equals, str) else list(self.equals)


class FormField(Strict):
    name: Name
    type: Literal[FIELD_TYPES]  # type: ignore[valid-type]
    label: Text
    help: Text | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(None, ge=1, le=20_000)
    choices: list[Choice] = []
    prefill: Literal[PREFILL_KEYS] | None = None  # type: ignore[valid-type]
    show_if: Condition | None = None
    max_files: int = Field(1, ge=1, le=10)

    @model_validator(mode="after")
    def _consistent(self):
        if self.type in ("choice", "multichoice"):
            if not self.choices:
                raise ValueError(f"field {self.name!r}: a {self.type} field needs choices")
            values = [choice.value for choice in self.choices]
            if len(values) != len(set(values)):
                raise ValueError(f"field {self.name!r}: two choices have the same value")
        elif self.choices:
            raise ValueError(f"field {self.name!r}: only choice and multichoice fields have choices")
        if (self.min is not None or self.max is not None) and self.type not in ("number", "multichoice"):
            raise ValueError(f"field {self.name!r}: min and max are for number and multichoice fields")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field {self.name!r}: min is greater than max")
        if self.max_length is not None and self.type not in ("text", "textarea"):
            raise ValueError(f"field {self.name!r}: max_length is for text and textarea fields")
        if self.prefill is not None:
            allowed = PREFILL_TYPES.get(self.prefill, {"text"})
            if self.type not in allowed:
                raise ValueError(f"field {self.name!r}: {self.prefill} cannot fill a {self.type} field")
        return self


class Section(Strict):
    name: Name
    title: Text
    intro: Text | None = None
    fields: list[FormField] = Field(min_length=1)
    show_if: Condition | None = None


class FormSchema(Strict):
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_and_conditions(self):
        seen: dict[str, FormField] = {}
        for section in self.sections:
            self._check_condition(section.show_if, seen, f"section {section.name!r}")
            for field in section.fields:
                if field.name in seen:
                    raise ValueError(f"two fields are named {field.name!r}")
                self._check_condition(field.show_if, seen, f"field {field.name!r}")
                seen[field.name] = field
        section_names = [section.name for section in self.sections]
        if len(section_names) != len(set(section_names)):
            raise ValueError("two sections have the same name")
        return self

    @staticmethod
    def _check_condition(condition: Condition | None, earlier: dict[str, "FormField"], where: str) -> None:
        """A condition may only look back: the field it names is asked before it."""
        if condition is None:
            return
        target = earlier.get(condition.field)
        if target is None:
            raise ValueError(f"{where}: show_if names {condition.field!r}, which is not an earlier field")
        if target.type == "file":
            raise ValueError(f"{where}: show_if cannot depend on a file field")
        if isinstance(condition.equals, bool) and target.type != "checkbox":
            raise ValueError(f"{where}: equals true/false is for checkbox fields")
        values = condition.values()
        if values is not None:
            if target.type not in ("choice", "multichoice"):
                raise ValueError(f"{where}: equals a value is for choice and multichoice fields")
            known = {choice.value for choice in target.choices}
            unknown = [value for value in values if value not in known]
            if unknown:
                raise ValueError(f"{where}: {condition.field!r} has no choice {unknown[0]!r}")

    def fields(self) -> list[FormField]:
        return [field for section in self.sections for field in section.fields]


def parse(data: object) -> FormSchema:
    """The schema, or pydantic's ValidationError naming where it is wrong."""
    return FormSchema.model_validate(data)


def readable_errors(error: ValidationError) -> list[str]:
    """pydantic's errors as lines an administrator can act on: where, and what is wrong."""
    lines = []
    for problem in error.errors():
        place = ".".join(str(part) for part in problem["loc"])
        message = re.sub(r"^Value error, ", "", problem["msg"])
        lines.append(f"{place}: {message}" if place else message)
    return lines
