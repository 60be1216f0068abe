from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from aspa.catalogue import cache, search
from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    LifeSituation,
    Named,
    Product,
    RequestType,
    Segment,
    Service,
    ServiceCategory,
    Team,
)
from aspa.errors import InvalidInput, NotFound


def departments() -> QuerySet[Department]:
    return Department.objects.all()


def services(department: str | None = None, active: bool | None = None) -> QuerySet[Service]:
    found = Service.objects.select_related("department").prefetch_related("request_types", "channels", "products")
    if department:
        found = found.filter(department=by_code("department", department, "department"))
    if active is not None:
        found = found.filter(active=active)
    return found


def segments() -> QuerySet[Segment]:
    return Segment.objects.all()


def channels() -> QuerySet[Channel]:
    return Channel.objects.all()


def request_types() -> QuerySet[RequestType]:
    return RequestType.objects.all()


def external_organisations() -> QuerySet[ExternalOrganisation]:
    return ExternalOrganisation.objects.all()


_MODELS: dict[str, type[Named]] = {
    "department": Department, "team": Team, "service": Service, "product": Product,
    "channel": Channel, "type": RequestType, "segment": Segment, "organisation": ExternalOrganisation,
}


def services_by_code(codes: list[str]) -> list[Service]:
    """The services with these codes, in use or not (a contact's topics as they were picked)."""
    return list(Service.objects.filter(code__in=codes)) if codes else []


def organisation(code: str | None) -> ExternalOrganisation | None:
    """The external organisation with this code, in use or not, or None (its guidance is shown)."""
    return ExternalOrganisation.objects.filter(code=code).first() if code else None


# What an entry of each kind brings along when it is kept: filing reads a service's department,
# request types and channels, a team's department and a product's service.
_ALONG: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "service": (("department",), ("request_types", "channels")),
    "team": (("department",), ()),
    "product": (("service__department",), ("service__request_types", "service__channels")),
}


def _entries(kind: str) -> dict[str, Named]:
    """Every entry of a kind, in use or not, by code: kept in memory until the catalogue changes
    (catalogue/cache.py). The entries are shared; callers must not change them."""

    def read() -> dict[str, Named]:
        related, prefetched = _ALONG.get(kind, ((), ()))
        found = _MODELS[kind]._default_manager.all()
        if related:
            found = found.select_related(*related).prefetch_related(*prefetched)
        return {entry.code: entry for entry in found}

    return cache.kept(f"by-code:{kind}", read)


def by_code(kind: str, code: str | None, field: str | None = None):
    """The catalogue entry with this code, or an InvalidInput naming the field. From memory while
    the catalogue is unchanged: filing looks up five or six of these for every request."""
    if code is None or code == "":
        return None
    found = _entries(kind).get(code)
    if found is None:
        raise InvalidInput({field or kind: [_("Unknown code: %(code)s.") % {"code": code}]})
    return found


def service_centre() -> Department | None:
    """The customer service centre's department (unclassified requests are its until classified)."""
    departments: list[Department] = list(_entries("department").values())  # type: ignore[arg-type]
    centres = sorted((entry for entry in departments if entry.is_service_centre), key=lambda entry: entry.pk)
    return centres[0] if centres else None


# The portal's service finder: public reads of what is in use, nothing personal.

def _public_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).select_related("department")


def finder_categories() -> QuerySet[ServiceCategory]:
    """The categories in use, each with how many services in use it holds."""
    return (ServiceCategory.objects.filter(active=True)
            .annotate(service_count=Count("services", filter=Q(services__active=True))))


def finder_life_situations() -> QuerySet[LifeSituation]:
    return (LifeSituation.objects.filter(active=True)
            .annotate(service_count=Count("services", filter=Q(services__active=True))))


def finder_category(code: str) -> tuple[ServiceCategory, list[Service]]:
    """A category in use and its services in use, by name; NotFound for anything else."""
    category = ServiceCategory.objects.filter(active=True, code=code).first()
    if category is None:
        raise NotFound()
    return category, _by_name(_public_services().filter(categories=category))


def finder_life_situation(code: str) -> tuple[LifeSituation, list[Service]]:
    situation = LifeSituation.objects.filter(active=True, code=code).first()
    if situation is None:
        raise NotFound()
    return situation, _by_name(_public_services().filter(life_situations=situation))


def finder_search(text: str, language: str) -> list[Service]:
    """Services for the words a resident typed, the best first (see catalogue/search.py)."""
    ranked = search.search(text, language)
    found = _public_services().in_bulk(ranked)
    return [found[pk] for pk in ranked if pk in found]


def finder_service(code: str) -> Service:
    """A service in use with what its page shows; NotFound for an unknown or retired one."""
    service = (_public_services().prefetch_related(
        "channels", "products", "categories", "life_situations").filter(code=code).first())
    if service is None:
        raise NotFound()
    return service


def _by_name(services: QuerySet[Service]) -> list[Service]:
    # Sorted in Python: the name shown depends on the reader's language.
    return sorted(services, key=lambda service: service.name.casefold())


# The catalogue in use, as the desk's lists show it on every page: kept in each process's memory
# until the catalogue changes (catalogue/cache.py). Tuples of entries, which callers must not change;
# an entry's `name` is read in the reader's language when it is shown.

def active_services() -> tuple[Service, ...]:
    return cache.kept("services", lambda: tuple(Service.objects.filter(active=True).select_related("department")))


def active_departments() -> tuple[Department, ...]:
    return cache.kept("departments", lambda: tuple(Department.objects.filter(active=True)))


def active_teams(departments: Iterable[int] | None = None) -> tuple[Team, ...]:
    """Teams in use, with their department; only those of `departments` (ids) when given."""
    teams = cache.kept("teams", lambda: tuple(Team.objects.filter(active=True).select_related("department")))
    if departments is None:
        return teams
    wanted = set(departments)
    return tuple(team for team in teams if team.department_id in wanted)


def active_products() -> tuple[Product, ...]:
    return cache.kept("products", lambda: tuple(Product.objects.filter(active=True)))


def active_channels() -> tuple[Channel, ...]:
    """In the catalogue file's order (the order they were added)."""
    return cache.kept("channels", lambda: tuple(Channel.objects.filter(active=True).order_by("id")))


def active_request_types() -> tuple[RequestType, ...]:
    """In the catalogue file's order (the order they were added)."""
    return cache.kept("request_types", lambda: tuple(RequestType.objects.filter(active=True).order_by("id")))


def active_segments() -> tuple[Segment, ...]:
    return cache.kept("segments", lambda: tuple(Segment.objects.filter(active=True)))


def active_organisations() -> tuple[ExternalOrganisation, ...]:
    return cache.kept("organisations", lambda: tuple(ExternalOrganisation.objects.filter(active=True)))


