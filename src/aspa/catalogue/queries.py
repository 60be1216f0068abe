from django.db.models import QuerySet
from django.utils.translation import gettext as _

from aspa.api.errors import InvalidInput
from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    Product,
    RequestType,
    Segment,
    Service,
    Team,
)


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


_MODELS = {
    "department": Department, "team": Team, "service": Service, "product": Product,
    "channel": Channel, "type": RequestType, "segment": Segment, "organisation": ExternalOrganisation,
}


def by_code(kind: str, code: str | None, field: str | None = None):
    """The catalogue entry with this code, or an InvalidInput naming the field."""
    if code is None or code == "":
        return None
    model = _MODELS[kind]
    found = model.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput({field or kind: [_("Unknown code: %(code)s.") % {"code": code}]})
    return found
