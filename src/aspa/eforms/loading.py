"""Loading the shipped forms (data/forms/*.json) into the database: `aspa forms load` and the
demo. Idempotent: an unchanged file changes nothing; a file whose questions changed becomes
the form's next version, so drafts and submissions on the older one keep it."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from pydantic import ValidationError

from aspa.catalogue.models import RequestType, Service
from aspa.eforms import schema as form_schema
from aspa.eforms.models import FormDefinition
from aspa.eforms.operations import publish_version

SHIPPED = Path(__file__).resolve().parent / "data" / "forms"


class FormFileError(Exception):
    pass


@dataclass
class Loaded:
    code: str
    version: int
    changed: bool


def _definition_fields(data: dict) -> dict:
    try:
        fields = {f"title_{language}": data["title"][language] for language in ("fi", "sv", "en")}
        fields.update({f"intro_{language}": data.get("intro", {}).get(language, "") for language in ("fi", "sv", "en")})
        fields["service"] = Service.objects.get(code=data["service"])
        fields["request_type"] = RequestType.objects.get(code=data["request_type"])
    except (KeyError, Service.DoesNotExist, RequestType.DoesNotExist) as problem:
        raise FormFileError(f"{data.get('code', '?')}: {problem!r}") from None
    fields["allow_anonymous"] = bool(data.get("allow_anonymous", False))
    return fields


@transaction.atomic
def load_form(data: dict) -> Loaded:
    try:
        form_schema.parse(data["schema"])
    except (KeyError, ValidationError) as problem:
        details = form_schema.readable_errors(problem) if isinstance(problem, ValidationError) else [repr(problem)]
        raise FormFileError(f"{data.get('code', '?')}: " + "; ".join(details)) from None
    form, _created = FormDefinition.objects.update_or_create(code=data["code"], defaults=_definition_fields(data))
    latest = form.versions.order_by("-number").first()
    if latest is not None and latest.schema == data["schema"]:
        return Loaded(form.code, latest.number, changed=False)
    version = publish_version(form, data["schema"])
    return Loaded(form.code, version.number, changed=True)


def load_directory(directory: Path = SHIPPED) -> list[Loaded]:
    loaded = []
    for path in sorted(directory.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            loaded.append(load_form(json.load(handle)))
    return loaded
