"""How often one client address may post forms without signing in.

Counted in the database rather than in a cache: the default cache is per process, so a limit
kept there would multiply by the number of gunicorn workers. One row per address and window,
incremented with an UPDATE (atomic in both SQLite and PostgreSQL), so concurrent posts from
the same address cannot both slip under the limit."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from aspa.client_address import client_address
from aspa.eforms.models import AnonymousPostCount

DEFAULT_LIMIT = 20  # posts per window: a feedback takes two or three (form, preview, submit)
DEFAULT_WINDOW_SECONDS = 3600


def _limit() -> int:
    return int(getattr(settings, "EFORMS_ANONYMOUS_POSTS_PER_WINDOW", DEFAULT_LIMIT))


def _window_seconds() -> int:
    return int(getattr(settings, "EFORMS_ANONYMOUS_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address: enough to count, useless to anyone reading the table.
    Behind a reverse proxy the address is the one it forwards (ASPA_TRUSTED_PROXIES), not its own."""
    address = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _window_start(now: datetime.datetime) -> datetime.datetime:
    seconds = _window_seconds()
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def allow_anonymous_post(request: HttpRequest) -> bool:
    """Count this post; False when the address has used up its posts in this window."""
    now = timezone.now()
    window = _window_start(now)
    key = client_key(request)
    with transaction.atomic():
        rows = AnonymousPostCount.objects.filter(client=key, window=window)
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    AnonymousPostCount.objects.create(client=key, window=window, count=1)
            except IntegrityError:  # a concurrent first post of the window made the row
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).get()
    if count == 1:
        # Once per address and window: old windows are of no use to anyone.
        AnonymousPostCount.objects.filter(window__lt=window - datetime.timedelta(seconds=_window_seconds())).delete()
    return count <= _limit()
