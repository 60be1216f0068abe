"""The project's own catalogue of Esimerkkilä: complete, in three languages, loadable twice."""

import json
from decimal import Decimal

import pytest

from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    LifeSituation,
    Product,
    RequestType,
    Segment,
    Service,
    ServiceCategory,
    Team,
)
from aspa.catalogue.operations import ESIMERKKILA, load_catalogue
from aspa.errors import InvalidInput

ALL_KINDS = [Department, Team, Channel, RequestType, Segment, ExternalOrganisation, Service, Product,
             ServiceCategory, LifeSituation]


def test_catalogue_file_names_every_entry_in_finnish_swedish_and_english():
    data = json.loads(ESIMERKKILA.read_text(encoding="utf-8"))
    entries = [e for key in ("channels", "request_types", "segments", "external_organisations", "departments", "services")
               for e in data[key]]
    entries += [team for d in data["departments"] for team in d.get("teams", [])]
    entries += [product for s in data["services"] for product in s.get("products", [])]
    for entry in entries:
        assert all(entry.get(language, "").strip() for language in ("fi", "sv", "en")), entry["code"]
    assert len(data["services"]) == 49
    assert len(data["segments"]) == 12
    assert len(data["channels"]) == 7


def test_loading_creates_the_whole_catalogue(db):
    counts = load_catalogue()
    assert counts["services"] == Service.objects.count() == 49
    assert counts["created"] == sum(model.objects.count() for model in ALL_KINDS)
    for model in ALL_KINDS:
        assert not model.objects.filter(name_sv="").exists(), model
        assert not model.objects.filter(name_en="").exists(), model
    assert Department.objects.get(code="rakennusvalvonta").name_sv == "Byggnadstillsyn"
    assert Department.objects.get(is_service_centre=True).code == "aspa"


def test_services_have_targets_channels_keywords_and_priced_products(db):
    load_catalogue()
    for service in Service.objects.prefetch_related("channels", "request_types"):
        assert 1 <= service.target_days <= 60, service.code
        assert service.channels.exists(), service.code
        assert service.request_types.exists(), service.code
        assert service.keywords, service.code
    berth = Service.objects.get(code="venepaikka")
    assert berth.target_days >= 20
    assert Service.objects.get(code="yleisneuvonta").target_days <= 5
    assert Service.objects.get(code="palaute").target_days == 10
    prices = {p.code: p.price for p in Product.objects.filter(service=berth)}
    assert prices["venepaikka-laituri"] == Decimal("180.00")
    for code in ("kaupunkikortti", "venepaikka", "viljelypalsta"):
        assert 1 <= Product.objects.filter(service__code=code).count() <= 3


def test_big_departments_have_teams_with_an_assignment_mode(db):
    load_catalogue()
    for code in ("aspa", "rakennusvalvonta", "katu", "ymparisto"):
        teams = Team.objects.filter(department__code=code)
        assert teams.count() >= 2, code
        assert all(team.assignment in Team.Assignment.values for team in teams)


def test_loading_twice_changes_nothing(db):
    load_catalogue()
    before = {model: list(model.objects.order_by("code").values()) for model in ALL_KINDS}
    links = [(s.code, sorted(c.code for c in s.channels.all())) for s in Service.objects.order_by("code")]
    counts = load_catalogue()
    assert counts["created"] == 0
    assert {model: list(model.objects.order_by("code").values()) for model in ALL_KINDS} == before
    assert [(s.code, sorted(c.code for c in s.channels.all())) for s in Service.objects.order_by("code")] == links


def test_reloading_updates_a_changed_name_by_code(db, tmp_path):
    load_catalogue()
    data = json.loads(ESIMERKKILA.read_text(encoding="utf-8"))
    data["channels"][0]["en"] = "Walk-in service point"
    changed = tmp_path / "catalogue.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    load_catalogue(changed)
    assert Channel.objects.get(code=data["channels"][0]["code"]).name_en == "Walk-in service point"


def test_service_of_an_unknown_department_is_refused(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"services": [{"code": "x", "department": "nowhere", "fi": "X"}]}), encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        load_catalogue(broken)
    assert "services[0].department" in error.value.fields
    assert not Service.objects.exists()
