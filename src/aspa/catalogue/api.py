from ninja import Router, Schema

from aspa.catalogue import queries
from aspa.identity.access import STAFF, require_role

router = Router(tags=["catalogue"])


class NamedOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    active: bool


class DepartmentOut(NamedOut):
    is_service_centre: bool


class ServiceOut(NamedOut):
    department: str
    request_types: list[str]
    channels: list[str]
    target_days: int
    products: list[NamedOut]


def _named(item) -> dict:
    return {"code": item.code, "name": item.name, "names": item.names(), "active": item.active}


@router.get("/departments", response=list[DepartmentOut], summary="Departments")
def departments(request):
    require_role(request.auth, STAFF)
    return [{**_named(d), "is_service_centre": d.is_service_centre} for d in queries.departments()]


@router.get("/services", response=list[ServiceOut], summary="Services of the catalogue")
def services(request, department: str | None = None, active: bool | None = None):
    require_role(request.auth, STAFF)
    return [
        {
            **_named(s),
            "department": s.department.code,
            "request_types": [t.code for t in s.request_types.all()],
            "channels": [c.code for c in s.channels.all()],
            "target_days": s.target_days,
            "products": [_named(p) for p in s.products.all()],
        }
        for s in queries.services(department=department, active=active)
    ]


@router.get("/segments", response=list[NamedOut], summary="Customer segments")
def segments(request):
    require_role(request.auth, STAFF)
    return [_named(s) for s in queries.segments()]


@router.get("/channels", response=list[NamedOut], summary="Channels")
def channels(request):
    require_role(request.auth, STAFF)
    return [_named(c) for c in queries.channels()]


@router.get("/request-types", response=list[NamedOut], summary="Request types")
def request_types(request):
    require_role(request.auth, STAFF)
    return [_named(t) for t in queries.request_types()]


@router.get("/organisations", response=list[NamedOut], summary="External organisations")
def organisations(request):
    require_role(request.auth, STAFF)
    return [_named(o) for o in queries.external_organisations()]
