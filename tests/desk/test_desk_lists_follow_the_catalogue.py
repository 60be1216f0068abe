"""The desk's lists of services, departments, teams and organisations come from memory, read once
per process until the catalogue changes: a service retired in the admin leaves them at the next
page without a restart, and a change saved by another process (another gunicorn worker) is seen
at the next request through the catalogue's version token."""

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aspa.catalogue.models import CatalogueVersion, Service
from aspa.identity.models import Role
from tests.factories.identity import UserFactory

ADVICE = '<option value="yleisneuvonta"'


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    return client


def service_choices(client) -> str:
    response = client.get("/desk/requests/")
    assert response.status_code == 200
    return response.content.decode()


def retire_in_the_admin(admin_client, service: Service) -> None:
    form = {
        "code": service.code, "department": service.department_id, "target_days": service.target_days,
        "name_fi": service.name_fi, "name_sv": service.name_sv, "name_en": service.name_en,
        "description_fi": "", "description_sv": "", "description_en": "", "keywords": service.keywords,
        "request_types": [entry.pk for entry in service.request_types.all()],
        "channels": [entry.pk for entry in service.channels.all()],
        "products-TOTAL_FORMS": "0", "products-INITIAL_FORMS": "0",
        # "active" left out: the box is not ticked.
    }
    response = admin_client.post(f"/admin/catalogue/service/{service.pk}/change/", form)
    assert response.status_code == 302, response.context["errors"] if response.context else response


def test_a_service_retired_in_the_admin_leaves_the_desks_lists_without_a_restart(
        world, signed_in, admin_client, catalogue):
    advisor = signed_in(world.advisor)
    assert ADVICE in service_choices(advisor)

    retire_in_the_admin(admin_client, catalogue.advice)

    assert not Service.objects.get(pk=catalogue.advice.pk).active
    assert ADVICE not in service_choices(advisor)


def test_a_change_saved_by_another_process_is_seen_at_the_next_request(world, signed_in, catalogue):
    advisor = signed_in(world.advisor)
    assert ADVICE in service_choices(advisor)

    # Another process retires the service: its row changes and so does the catalogue's token,
    # in one transaction; none of this process's signals fire.
    Service.objects.filter(pk=catalogue.advice.pk).update(active=False)
    assert ADVICE in service_choices(advisor)  # still from memory: the token has not changed
    CatalogueVersion.objects.update(token=uuid.uuid4())

    assert ADVICE not in service_choices(advisor)


def catalogue_tables_read(captured) -> list[str]:
    """The catalogue tables the queries read from (not those they join to a request)."""
    return [table for query in captured for table in re.findall(r'FROM "(catalogue_\w+)"', query["sql"])]


def test_the_request_page_reads_the_catalogue_lists_from_memory(world, signed_in, catalogue):
    from aspa.requests.models import Status
    from tests.factories.requests import in_status

    service_request = in_status(Status.IN_PROGRESS, world.advisor, party=world.customer.pk)
    client = signed_in(world.advisor)
    assert client.get(f"/desk/requests/{service_request.number}/").status_code == 200  # fills the memory

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/desk/requests/{service_request.number}/")

    assert response.status_code == 200
    assert ADVICE in response.content.decode()  # the classify form's services
    # One look at the catalogue's version per request; the lists themselves come from memory.
    assert catalogue_tables_read(captured) == ["catalogue_catalogueversion"]
