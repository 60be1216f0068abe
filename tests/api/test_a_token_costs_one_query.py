"""Bearer authentication reads the token, its user and the user's department in one query, writes
the token's last use at most once a minute, and keeps nothing between requests: a token revoked or
a user deactivated is refused at the next request."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspa.identity.models import ApiToken, Role


def _queries_of(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _token_queries(queries: list[str]) -> list[str]:
    return [sql for sql in queries if "identity_apitoken" in sql]


def test_an_authenticated_request_reads_the_token_once_and_writes_its_use_once_a_minute(api):
    client = api(Role.ADVISOR)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = _token_queries(_queries_of(client, "request-types"))
        assert len(first) == 2  # the read with user and department, then the first use written
        assert first[1].startswith("UPDATE")
        assert 'JOIN "identity_user"' in first[0] and 'JOIN "catalogue_department"' in first[0]
        assert "ORDER BY" not in first[0]

        clock.shift(datetime.timedelta(seconds=30))
        assert len(_token_queries(_queries_of(client, "request-types"))) == 1  # only the read

        clock.shift(datetime.timedelta(seconds=31))
        again = _token_queries(_queries_of(client, "request-types"))
        assert len(again) == 2 and again[1].startswith("UPDATE")
    assert ApiToken.objects.get(user=client.user).last_used_at is not None


def test_a_deactivated_users_token_is_refused_at_the_next_request(api):
    client = api(Role.ADVISOR)
    assert client.get("request-types").status_code == 200
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    assert client.get("request-types").status_code == 401
