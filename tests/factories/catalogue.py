"""A small catalogue that tests build on: two departments, services, channels, types."""

from dataclasses import dataclass

import pytest

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


@dataclass
class Catalogue:
    centre: Department
    building: Department
    building_team: Team
    advice: Service
    permit: Service
    product: Product
    question: RequestType
    application: RequestType
    phone: Channel
    web: Channel
    email: Channel
    service_point: Channel
    kela: ExternalOrganisation
    segment: Segment


def make_catalogue() -> Catalogue:
    def named(model, code, fi, **extra):
        return model.objects.create(code=code, name_fi=fi, name_sv=f"{fi} (sv)", name_en=f"{fi} (en)", **extra)

    centre = named(Department, "aspa", "Asiakaspalvelukeskus", is_service_centre=True)
    building = named(Department, "rakennusvalvonta", "Rakennusvalvonta")
    question = named(RequestType, "question", "Kysymys")
    application = named(RequestType, "application", "Hakemus")
    channels = {code: named(Channel, code, code) for code in ["phone", "web", "email", "service_point"]}
    advice = named(Service, "yleisneuvonta", "Yleisneuvonta", department=centre, target_days=5)
    advice.request_types.set([question])
    permit = named(Service, "rakennuslupa", "Rakennuslupa", department=building, target_days=20)
    permit.request_types.set([question, application])
    for service in (advice, permit):
        service.channels.set(channels.values())
    return Catalogue(
        centre=centre, building=building,
        building_team=named(Team, "luvat", "Lupatiimi", department=building),
        advice=advice, permit=permit,
        product=named(Product, "poikkeamislupa", "Poikkeamislupa", service=permit, price="250.00"),
        question=question, application=application,
        phone=channels["phone"], web=channels["web"], email=channels["email"],
        service_point=channels["service_point"],
        kela=named(ExternalOrganisation, "kela", "Kela"),
        segment=named(Segment, "seniorit", "Ikäihmiset"),
    )


@pytest.fixture
def catalogue(db) -> Catalogue:
    return make_catalogue()
