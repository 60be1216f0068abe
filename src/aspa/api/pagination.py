from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from aspa.errors import InvalidInput

MAX_PAGE_SIZE = 200
MAX_PAGE = 2**31 - 1


class Page(Schema):
    count: int
    page: int
    page_size: int
    items: list


def paginate(queryset: QuerySet, page: int, page_size: int, serialize) -> dict:
    if page < 1:
        raise InvalidInput({"page": [_("Must be 1 or more.")]})
    if page > MAX_PAGE:
        # Past any real list; a larger offset would overflow the database's integers (500).
        raise InvalidInput({"page": [_("Must be at most %(max)s.") % {"max": MAX_PAGE}]})
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput({"page_size": [_("Must be between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE}]})
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])
    return {"count": queryset.count(), "page": page, "page_size": page_size,
            "items": [serialize(item) for item in items]}


def ordering(sort: str | None, allowed: dict[str, str], default: str) -> list[str]:
    """Turn ?sort=-created_at into an order_by list, refusing fields not offered."""
    if not sort:
        return [default, "-id" if default.startswith("-") else "id"]
    field = sort.lstrip("-")
    if field not in allowed:
        raise InvalidInput({"sort": [_("Must be one of: %(fields)s.") % {"fields": ", ".join(sorted(allowed))}]})
    prefix = "-" if sort.startswith("-") else ""
    return [prefix + allowed[field], prefix + "id"]
