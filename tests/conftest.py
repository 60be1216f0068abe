import json

import pytest
from django.db import transaction
from django.test import Client

from aspa.identity.models import Role
from aspa.identity.operations import create_token
from aspa.outbox.operations import InlineRun
from tests.factories.identity import UserFactory

# The `catalogue` fixture: a small catalogue most tests build on.
pytest_plugins = ["tests.factories.catalogue"]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOW_TEST_IDENTITY_CODES = True
    # Tasks (emails, event delivery) run inline so tests see their effects at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Argon2 costs ~0.2 s per user; tests that check passwords still go through Django's hashing API.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _outbox_runs_when_the_operation_ends(monkeypatch):
    """With inline tasks the outbox runs an event right after its change commits. A test runs in a
    transaction that never commits, so here the event runs when the operation's own outermost
    block ends, which is where it would have committed: outside the operation's transaction, as
    in production. Other on-commit work (emails) waits, as before, for
    django_capture_on_commit_callbacks."""
    original_exit = transaction.Atomic.__exit__

    def exit_and_run_the_outbox(self, exc_type, exc_value, traceback):
        original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if exc_type is not None or not connection.in_atomic_block:
            return
        if not all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            return
        due = [entry for entry in connection.run_on_commit if isinstance(entry[1], InlineRun)]
        if due:
            connection.run_on_commit = [entry for entry in connection.run_on_commit if entry not in due]
            for _savepoints, callback, _robust in due:
                callback()

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_run_the_outbox)


class ApiClient:
    """A Django test client that speaks JSON to /api/v1/ with a bearer token."""

    def __init__(self, user, key: str | None, language: str = "en"):
        self.user = user
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _call(self, method, path, data=None, headers=None, **kwargs):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        all_headers = {**self.headers, **(headers or {})}
        if method == "get":
            return self.client.get(url, data, headers=all_headers, **kwargs)
        if kwargs.pop("multipart", False):
            return getattr(self.client, method)(url, data, headers=all_headers, **kwargs)
        body = data if isinstance(data, (str, bytes)) else json.dumps(data if data is not None else {})
        return getattr(self.client, method)(url, body, content_type="application/json", headers=all_headers, **kwargs)

    def get(self, path, params=None, **kw):
        return self._call("get", path, params, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)

    def put(self, path, data=None, **kw):
        return self._call("put", path, data, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path, None, **kw)


@pytest.fixture
def api(db, catalogue):
    """api(role, department=None) → an ApiClient signed in with a fresh token of that role."""

    def make(role: str = Role.ADVISOR, department=None, team=None, language: str = "en", user=None) -> ApiClient:
        user = user or UserFactory(role=role, department=department, team=team)
        if user.role == Role.RESIDENT:
            # Residents use the portal's browser session, never API tokens.
            client = ApiClient(user, None, language)
            client.client.force_login(user)
            return client
        _token, key = create_token(role=user.role, name=f"test-{user.username}", user=user)
        return ApiClient(user, key, language)

    return make


@pytest.fixture
def advisor_api(api):
    return api(Role.ADVISOR)
