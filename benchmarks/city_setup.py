"""What the benchmark city stands on: emptying the generated tables (--reset), the catalogue and
the staff who handle the requests. Used by generate_city.py (which sets Django up before
importing this)."""

import time
from pathlib import Path

from city_tables import log
from django.apps import apps
from django.db import connection, transaction
from django.db.models import SET_NULL

from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    RequestType,
    Service,
    Team,
)
from aspa.identity.models import Role, User

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "src/aspa/catalogue/data/esimerkkila.json"

GENERATED_APPS = ("customers", "requests", "contacts")
# Apps whose rows tell of the generated ones without a foreign key (the outbox's events name
# their request in a text field): emptied with them where installed.
DESCRIBING_APPS = ("outbox",)


def tables_to_empty() -> tuple[list[str], list[str], list[tuple[type, str]]]:
    """What --reset empties, read from Django's model graph: every table of the generated apps and
    every table that refers to one of them, directly or through others (an electronic form's draft
    refers to a party, the draft's files to the draft). A reference declared `on_delete=SET_NULL`
    outside the generated apps (a user's own party) marks a row that outlives what it refers to:
    that row is kept and its reference cleared.

    Returns (tables to TRUNCATE, tables to DELETE from, references to clear). PostgreSQL truncates
    a table only together with every table that refers to it (CASCADE would empty the users, and
    through them the tokens and the audit), so a table a kept row refers to is emptied with DELETE
    once the references are cleared."""
    models = apps.get_models(include_auto_created=True)
    emptied = {model for model in models if model._meta.app_label in (*GENERATED_APPS, *DESCRIBING_APPS)}
    cleared: list[tuple[type, str]] = []
    changed = True
    while changed:
        changed = False
        for model in models:
            if model in emptied:
                continue
            for field in model._meta.concrete_fields:
                if not (field.is_relation and field.related_model in emptied):
                    continue
                if field.null and field.remote_field.on_delete is SET_NULL:
                    if (model, field.name) not in cleared:
                        cleared.append((model, field.name))
                elif model not in emptied:
                    emptied.add(model)
                    changed = True
    # A table a kept row refers to, and whatever such a table refers to among the emptied ones,
    # is deleted from rather than truncated (a TRUNCATE ... CASCADE of those would reach the kept rows).
    held = {field.related_model for model, name in cleared
            for field in [model._meta.get_field(name)] if model not in emptied}
    cleared = [(model, name) for model, name in cleared if model not in emptied]
    changed = True
    while changed:
        changed = False
        for model in list(held):
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in emptied and field.related_model not in held:
                    held.add(field.related_model)
                    changed = True
    truncated = sorted({model._meta.db_table for model in emptied - held})
    deleted = sorted({model._meta.db_table for model in held})
    return truncated, deleted, cleared


def reset() -> None:
    """Empty the customer, request and contact tables and every table that refers to them (see
    tables_to_empty), with the id sequences restarted; keep the catalogue, users and tokens."""
    truncated, deleted, cleared = tables_to_empty()
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        for model, name in cleared:
            model._base_manager.filter(**{f"{name}__isnull": False}).update(**{name: None})
        # RESTART IDENTITY: a regenerated city gets the same ids. CASCADE also empties a table
        # outside Django's models that refers to these (none of the kept ones can: see above).
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in truncated) + " RESTART IDENTITY CASCADE")
        for table in deleted:  # Django's foreign keys are deferred to the commit: any order will do
            cursor.execute(f'DELETE FROM "{table}"')
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute("SELECT setval(%s, 1, false)", [sequence])
    emptied = sorted(truncated + deleted)
    log(f"Emptied {len(emptied)} tables in {time.monotonic() - started:.1f} s: {', '.join(emptied)}"
        + (f"; cleared {', '.join(f'{model._meta.label}.{name}' for model, name in cleared)}" if cleared else ""))


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
