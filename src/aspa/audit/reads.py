"""Who reads personal data, and the audit of what they read.

The access helpers that hand a person's data to a page or an API client (`get_request_for`,
`list_requests`, `get_party_for`, `find_parties`, `get_contact_for`, `list_contacts`, …) take a
`Reader` and write the audit rows themselves, so a new page that uses them cannot forget the log.
The edge builds the reader once: `Reader.of(http_request, purpose=...)`.

Staff reads are logged, one row per record; residents reading their own (or their organisation's)
data are not. A read that is not a showing of someone's data to staff (an operation fetching what
it is about to change, an API answer echoing what the caller has just written) uses
`Reader.unaudited(user)`, with a comment at the call saying why.

Scoping helpers (`visible_requests(user)`, `parties_visible_to(user)`, `visible_contacts(user)`)
take the user, not a reader: they decide what may be seen and are used as subqueries, so they
read no rows to log."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.http import HttpRequest

from aspa.audit.models import AuditAction
from aspa.audit.operations import record_many
from aspa.identity.access import is_staff
from aspa.identity.models import User

# One audit row: (the record's id, the id of the party whose data it is); None when the record
# holds no one's personal data (a request without a customer, an organisation's request).
type AuditRow = tuple[object, int | None] | None


@dataclass(frozen=True)
class Reader:
    """The user reading, the HTTP request they read through (for the client's address in the log)
    and the purpose written to the log (empty: the request's method and path)."""

    user: User
    http_request: HttpRequest | None = None
    purpose: str = ""
    audited: bool = True

    @classmethod
    def of(cls, http_request: HttpRequest, *, purpose: str = "") -> "Reader":
        # The API's bearer authentication sets request.auth; pages have the session's request.user.
        auth = getattr(http_request, "auth", None)
        user = auth if auth is not None else http_request.user
        return cls(user, http_request, purpose)  # type: ignore[arg-type]

    @classmethod
    def unaudited(cls, user: User) -> "Reader":
        """A reader whose reads are not logged. Say at the call why the read is not one to log."""
        return cls(user, audited=False)

    @property
    def is_logged(self) -> bool:
        return self.audited and is_staff(self.user)

    def record(self, action: str, object_type: str, items: Iterable[Any], row: Callable[[Any], AuditRow]) -> None:
        """One audit row per item that holds a person's data (`row` says which and whose)."""
        if not self.is_logged:
            return
        rows = [found for found in map(row, items) if found is not None]
        if rows:
            record_many(self.http_request, self.user, action, object_type, rows, purpose=self.purpose)

    def read(self, object_type: str, items: Iterable[Any], row: Callable[[Any], AuditRow]) -> None:
        self.record(AuditAction.READ, object_type, items, row)

    def reading[M: Model](self, queryset: QuerySet[M], object_type: str, row: Callable[[M], AuditRow]) -> QuerySet[M]:
        """`queryset`, whose rows are logged as read when it is evaluated (once: the rows shown).

        A page of it (`[start:end]`, a Paginator's page) logs that page. Counting, aggregating,
        `values()` or using it as a subquery fetches no records and logs nothing."""
        if not self.is_logged:
            return queryset
        logged = queryset._chain()  # type: ignore[attr-defined]
        logged.__class__ = _LoggedQuerySet
        logged._log_rows = lambda items: self.read(object_type, items, row)
        return logged


class _LoggedQuerySet(QuerySet[Any]):
    """A queryset that hands its fetched model rows, once, to `_log_rows`. Its clones (filtered,
    ordered, sliced) keep the hook, so the rows finally shown are the ones logged."""

    _log_rows: Callable[[list[Any]], None] | None = None

    def _clone(self) -> "_LoggedQuerySet":
        clone: _LoggedQuerySet = super()._clone()  # type: ignore[misc]
        clone._log_rows = self._log_rows
        return clone

    def _fetch_all(self) -> None:
        first_fetch = self._result_cache is None
        super()._fetch_all()
        if first_fetch and self._log_rows is not None and self._iterable_class is ModelIterable:
            self._log_rows(self._result_cache or [])


def record_sign_in(http_request: HttpRequest | None, user: User, party_id: int, *, purpose: str) -> None:
    """A resident signing in is logged as a read of their own record: the login, the one read by a
    resident that the log keeps (a Reader does not log residents' reads)."""
    record_many(http_request, user, AuditAction.READ, "party", [(party_id, party_id)], purpose=purpose)
