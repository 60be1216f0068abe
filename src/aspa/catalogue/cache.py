"""The catalogue in use, kept in each process's memory: the desk's forms list services,
departments, teams and the rest on every page, and they change a few times a year.

Every saved or deleted catalogue entry (the admin, `load_catalogue`, a shell) gives
`CatalogueVersion` a new token in the same transaction. A process reads the token at most once
per request (on every call outside one: commands, the worker) and forgets what it kept when the
token is not the one it was read under, so a change made through one gunicorn worker shows in
the others' next request. A token rather than a counter: a counter that rolls back (a failed
change, a test) would come back to a number that another catalogue was read under.

Receivers of Django's model signals do the bump because the admin saves models itself; they
only mark the cache stale, no business flow runs in them. Queryset `update()` and `bulk_create`
send no signals: code that changes the catalogue that way calls `changed()` itself."""

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from aspa.catalogue.models import CatalogueVersion


@dataclass
class _Kept:
    token: uuid.UUID | None
    entries: dict[str, Any] = field(default_factory=dict)


_NOT_READ = uuid.UUID(int=0)  # a token no row has: the first read always looks
_kept = _Kept(_NOT_READ)
# Per thread: inside a request, whether this request has read the token already; while a bulk
# change is under way, that its saves bump the token once at the end.
_local = threading.local()


def kept(key: str, read: Callable[[], Any]) -> Any:
    """What `read()` gives, from memory while the catalogue has not changed. `read` must return
    something that callers do not change (a tuple of entries)."""
    global _kept
    if not (getattr(_local, "in_request", False) and getattr(_local, "checked", False)):
        token = CatalogueVersion.objects.values_list("token", flat=True).first()
        if token != _kept.token:
            _kept = _Kept(token)
        _local.checked = True
    entries = _kept.entries
    if key not in entries:
        entries[key] = read()
    return entries[key]


def changed() -> None:
    """The catalogue changed in the current transaction: every process reads it again."""
    global _kept
    if getattr(_local, "bulk", False):
        _local.bulk_changed = True
        return
    token = uuid.uuid4()
    if not CatalogueVersion.objects.filter(pk=1).update(token=token):
        CatalogueVersion.objects.update_or_create(pk=1, defaults={"token": token})
    # This process too, even inside a request that has read the token already.
    _kept = _Kept(_NOT_READ)
    _local.checked = False


@contextmanager
def bulk_change() -> Iterator[None]:
    """Many saves (a catalogue file loaded) bump the token once, at the end."""
    _local.bulk, _local.bulk_changed = True, False
    try:
        yield
    finally:
        _local.bulk = False
    if _local.bulk_changed:
        changed()


def _entry_changed(sender, **kwargs) -> None:
    if kwargs.get("raw") or kwargs.get("action", "post").startswith("pre_"):  # loaddata; before an m2m change
        return
    changed()


def _request_started(**kwargs) -> None:
    _local.in_request, _local.checked = True, False


def _request_finished(**kwargs) -> None:
    _local.in_request = False


def connect() -> None:
    """Called once at start (CatalogueConfig.ready)."""
    for model in apps.get_app_config("catalogue").get_models():
        if model is CatalogueVersion:
            continue
        post_save.connect(_entry_changed, sender=model, dispatch_uid=f"catalogue-cache-save-{model.__name__}")
        post_delete.connect(_entry_changed, sender=model, dispatch_uid=f"catalogue-cache-delete-{model.__name__}")
        for many in model._meta.many_to_many:
            m2m_changed.connect(_entry_changed, sender=many.remote_field.through,
                                dispatch_uid=f"catalogue-cache-m2m-{model.__name__}-{many.name}")
    request_started.connect(_request_started, dispatch_uid="catalogue-cache-request-started")
    request_finished.connect(_request_finished, dispatch_uid="catalogue-cache-request-finished")
