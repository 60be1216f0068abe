"""The list of errands costs the same number of queries however many errands there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspa.requests.models import Status
from tests.factories.requests import in_status


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_errands(world, signed_in):
    client = signed_in(world.resident)
    before = count_queries(client, "/portal/")
    for status in (Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED, Status.RESOLVED):
        in_status(status, world.advisor, party=world.party.pk, service="rakennuslupa", type="application")
    assert count_queries(client, "/portal/") == before
