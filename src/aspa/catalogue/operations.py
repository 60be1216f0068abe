"""Changing the service catalogue: loading it from a data file."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from aspa.catalogue import cache
from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    LifeSituation,
    Product,
    RequestType,
    Segment,
    Service,
    ServiceCategory,
    Team,
)
from aspa.errors import InvalidInput

# The demo city's catalogue, carried by the project itself.
ESIMERKKILA = Path(__file__).resolve().parent / "data" / "esimerkkila.json"


def _names(entry: dict) -> dict:
    return {"name_fi": entry["fi"], "name_sv": entry.get("sv", ""), "name_en": entry.get("en", ""), "active": entry.get("active", True)}


@transaction.atomic
def load_catalogue(path: Path | str = ESIMERKKILA) -> dict[str, int]:
    """Create or update every entry of a catalogue file by its code.

    Running it again with the same file changes nothing; entries missing from the file are
    left as they are (an administrator retires them with `active`). Returns how many entries of
    each kind the file holds, and under "created" how many of them were new."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    with cache.bulk_change():  # one new catalogue version for the whole file
        return _load(data)


def _load(data: dict) -> dict[str, int]:
    counts: dict[str, int] = {"created": 0}

    def upsert(model, code: str, defaults: dict):
        item, created = model.objects.update_or_create(code=code, defaults=defaults)
        counts["created"] += int(created)
        return item

    simple = [("channels", Channel), ("request_types", RequestType), ("segments", Segment)]
    for key, model in simple:
        for entry in data.get(key, []):
            upsert(model, entry["code"], _names(entry))
        counts[key] = len(data.get(key, []))

    for entry in data.get("external_organisations", []):
        guidance = entry.get("guidance", {})
        upsert(ExternalOrganisation, entry["code"], {
            **_names(entry), "website": entry.get("website", ""), "phone": entry.get("phone", ""),
            "guidance_fi": guidance.get("fi", ""), "guidance_sv": guidance.get("sv", ""), "guidance_en": guidance.get("en", ""),
        })
    counts["external_organisations"] = len(data.get("external_organisations", []))

    # The portal's service finder: topics and life situations, in the order the file lists them.
    for position, entry in enumerate(data.get("service_categories", [])):
        upsert(ServiceCategory, entry["code"], {**_names(entry), "position": position})
    counts["service_categories"] = len(data.get("service_categories", []))
    for position, entry in enumerate(data.get("life_situations", [])):
        introduction = entry.get("introduction", {})
        upsert(LifeSituation, entry["code"], {
            **_names(entry), "position": position, "introduction_fi": introduction.get("fi", ""),
            "introduction_sv": introduction.get("sv", ""), "introduction_en": introduction.get("en", ""),
        })
    counts["life_situations"] = len(data.get("life_situations", []))

    counts["departments"] = counts["teams"] = 0
    for entry in data.get("departments", []):
        department = upsert(Department, entry["code"], {
            **_names(entry), "is_service_centre": entry.get("is_service_centre", False),
        })
        counts["departments"] += 1
        for team in entry.get("teams", []):
            upsert(Team, team["code"], {
                **_names(team), "department": department,
                "assignment": team.get("assignment", Team.Assignment.MANUAL),
            })
            counts["teams"] += 1

    departments = {d.code: d for d in Department.objects.all()}
    channels = {c.code: c for c in Channel.objects.all()}
    request_types = {t.code: t for t in RequestType.objects.all()}
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    situations = {s.code: s for s in LifeSituation.objects.all()}
    counts["services"] = counts["products"] = 0
    for index, entry in enumerate(data.get("services", [])):
        where = f"services[{index}]"
        department = departments.get(entry["department"])
        if department is None:
            raise InvalidInput({f"{where}.department": [_("Unknown code: %(code)s.") % {"code": entry["department"]}]})
        unknown = [c for c in entry.get("channels", []) if c not in channels]
        unknown += [t for t in entry.get("request_types", []) if t not in request_types]
        unknown += [c for c in entry.get("categories", []) if c not in categories]
        unknown += [s for s in entry.get("life_situations", []) if s not in situations]
        if unknown:
            raise InvalidInput({where: [_("Unknown code: %(code)s.") % {"code": ", ".join(unknown)}]})
        service = upsert(Service, entry["code"], {
            **_names(entry), "department": department,
            "target_days": entry.get("target_days", 10), "keywords": entry.get("keywords", ""),
            "description_fi": entry.get("description", {}).get("fi", ""),
            "description_sv": entry.get("description", {}).get("sv", ""),
            "description_en": entry.get("description", {}).get("en", ""),
        })
        service.channels.set([channels[c] for c in entry.get("channels", [])])
        service.request_types.set([request_types[t] for t in entry.get("request_types", [])])
        # A file written before the finder existed leaves an administrator's choices alone.
        if "categories" in entry:
            service.categories.set([categories[c] for c in entry["categories"]])
        if "life_situations" in entry:
            service.life_situations.set([situations[s] for s in entry["life_situations"]])
        counts["services"] += 1
        for product in entry.get("products", []):
            upsert(Product, product["code"], {**_names(product), "service": service,
                                              "price": _price(product.get("price"), f"{where}.products")})
            counts["products"] += 1
    return counts


def _price(value, field: str) -> Decimal | None:
    # Prices are strings in the file so that no float ever touches money.
    if value is None or value == "":
        return None
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        price = Decimal(-1)
    if price < 0 or isinstance(value, float):
        raise InvalidInput({field: [_("Enter a price in euros, for example \"12.50\".")]})
    return price
