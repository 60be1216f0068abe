"""A city in a database of its own, for the tests that run `aspa worker` as a real process.

    python -m tests.outbox.scenario setup     # migrate, the catalogue, the processes, a rule set;
                                              # a resident files a boat-berth application

Run with ASPA_DATA_DIR (and without DATABASE_URL: an SQLite file there) or DATABASE_URL set."""

import sys

import django


def setup() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from aspa.catalogue.operations import load_catalogue
    from aspa.identity.models import Role
    from aspa.processes.operations import load_shipped
    from aspa.requests import operations as request_operations
    from aspa.routing import operations as routing_operations
    from tests.factories.identity import UserFactory
    from tests.factories.requests import PersonFactory, resident_user, with_email
    from tests.routing.conftest import dmn

    load_catalogue()
    load_shipped()
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    rules = [("Venepaikat satamalle", {"service": '"venepaikka"'}, {"priority": '"high"'})]
    rule_set = routing_operations.upload_rule_set(admin, content=dmn(rules), file_name="rules.dmn")
    routing_operations.publish_rule_set(admin, rule_set)
    resident = resident_user(with_email(PersonFactory(), "veneilija@example.fi"))
    service_request = request_operations.file_request(
        resident, type="application", channel="web", service="venepaikka", description="Haen venepaikkaa.")
    print(service_request.pk, flush=True)  # noqa: T201


if __name__ == "__main__":
    django.setup()
    {"setup": setup}[sys.argv[1]]()
