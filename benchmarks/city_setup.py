"""What the benchmark city stands on: emptying the generated tables (--reset), the catalogue and
the staff who handle the requests. Used by generate_city.py (which sets Django up before
importing this)."""

import time
from pathlib import Path

from city_tables import log
from django.apps import apps
from django.db import connection

from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    RequestType,
    Service,
    Team,
)
from aspa.customers.models import Party
from aspa.identity.models import Role, User

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "src/aspa/catalogue/data/esimerkkila.json"

GENERATED_APPS = ("customers", "requests", "contacts")


def reset() -> None:
    """Empty the customer, request and contact tables (and whatever refers to them), keep
    the catalogue, users and tokens."""
    generated = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in GENERATED_APPS]
    tables = {m._meta.db_table for m in generated}
    for model in apps.get_models(include_auto_created=True):
        if model in generated:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in generated:
                if field.null and model is User:
                    User.objects.exclude(**{f"{field.name}__isnull": True}).update(**{field.name: None})
                else:
                    tables.add(model._meta.db_table)
    # identity.User keeps a (now empty) reference to the party table, and PostgreSQL refuses to
    # TRUNCATE a referenced table, so the parties themselves are deleted after the rest is emptied.
    parties = Party._meta.db_table
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in sorted(tables - {parties})))
        cursor.execute(f'DELETE FROM "{parties}"')
    log(f"Emptied {len(tables)} tables in {time.monotonic() - started:.1f} s: {', '.join(sorted(tables))}")


def ensure_catalogue() -> None:
    """The example city's catalogue when it is there; otherwise a small one of our own."""
    if CATALOGUE_FILE.exists():
        try:
            from aspa.catalogue.operations import load_catalogue
        except ImportError:
            load_catalogue = None
        if load_catalogue is not None:
            load_catalogue(CATALOGUE_FILE)
            log(f"Catalogue loaded from {CATALOGUE_FILE.relative_to(CATALOGUE_FILE.parents[4])}")
            return
    if Service.objects.exists():
        log("Catalogue already present")
        return

    def named(model, code, fi, **extra):
        found, _ = model.objects.update_or_create(code=code, defaults={"name_fi": fi, "name_sv": fi, "name_en": fi,
                                                                       **extra})
        return found

    departments = {
        "asiakaspalvelu": named(Department, "asiakaspalvelu", "Asiakaspalvelukeskus", is_service_centre=True),
        "rakennusvalvonta": named(Department, "rakennusvalvonta", "Rakennusvalvonta"),
        "kadut": named(Department, "kadut", "Katu- ja viheralueet"),
        "ymparisto": named(Department, "ymparisto", "Ympäristöpalvelut"),
        "sivistys": named(Department, "sivistys", "Sivistyspalvelut"),
        "tilat": named(Department, "tilat", "Tilapalvelut"),
    }
    for code in departments:
        named(Team, f"{code}-tiimi", f"{departments[code].name_fi}, tiimi", department=departments[code])
    types = [named(RequestType, code, fi) for code, fi in
             [("question", "Kysymys"), ("application", "Hakemus"), ("feedback", "Palaute"),
              ("complaint", "Muistutus"), ("notification", "Ilmoitus")]]
    channels = [named(Channel, code, fi) for code, fi in
                [("phone", "Puhelin"), ("service_point", "Palvelupiste"), ("web", "Verkkoasiointi"),
                 ("email", "Sähköposti"), ("chat", "Chat"), ("remote", "Etäpalvelu")]]
    services = [
        ("yleisneuvonta", "Yleisneuvonta", "asiakaspalvelu", 5), ("pysakointi", "Pysäköinti", "kadut", 10),
        ("katukunnossapito", "Katujen kunnossapito", "kadut", 10), ("rakennuslupa", "Rakennuslupa",
                                                                     "rakennusvalvonta", 40),
        ("toimenpidelupa", "Toimenpidelupa", "rakennusvalvonta", 20), ("meluilmoitus", "Meluilmoitus",
                                                                         "ymparisto", 20),
        ("jatehuolto", "Jätehuolto", "ymparisto", 10), ("varhaiskasvatus", "Varhaiskasvatus", "sivistys", 20),
        ("liikuntapaikat", "Liikuntapaikat", "sivistys", 10), ("tilavaraukset", "Tilavaraukset", "tilat", 5),
    ]
    for code, fi, department, days in services:
        service = named(Service, code, fi, department=departments[department], target_days=days)
        service.request_types.set(types)
        service.channels.set(channels)
    named(ExternalOrganisation, "kela", "Kela")
    named(ExternalOrganisation, "vero", "Verohallinto")
    log("No catalogue file yet: created a small catalogue of our own")


def ensure_staff() -> tuple[list[int], dict[int, list[int]]]:
    """Advisors of the centre and experts of each department, to handle requests and contacts."""
    advisors = []
    for number in range(1, 41):
        user, created = User.objects.get_or_create(username=f"bench-advisor-{number}",
                                                   defaults={"role": Role.ADVISOR, "first_name": "Neuvoja",
                                                             "last_name": f"{number}"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        advisors.append(user.pk)
    experts: dict[int, list[int]] = {}
    for department in Department.objects.all():
        for number in range(1, 6):
            user, created = User.objects.get_or_create(
                username=f"bench-expert-{department.code}-{number}"[:150],
                defaults={"role": Role.EXPERT, "department": department, "first_name": "Asiantuntija",
                          "last_name": f"{number}"})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            experts.setdefault(department.pk, []).append(user.pk)
    return advisors, experts
