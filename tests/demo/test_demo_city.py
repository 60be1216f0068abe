"""`aspa demo` builds Esimerkkilä: catalogue, logins that work, valid customers, numbered
requests with their history, contacts; and a second run changes nothing."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone
from stdnum.fi import hetu, ytunnus

from aspa.catalogue.models import Department, Service
from aspa.contacts.models import Contact
from aspa.customers.models import ContactPoint, Customership, Party
from aspa.eforms.models import Submission
from aspa.identity.models import Role, User
from aspa.requests.models import OPEN_STATUSES, RequestCounter, RequestEvent, ServiceRequest

SMALL = {"residents": 40, "requests": 150, "contacts": 400}
# The demo resident's open errands (aspa.portal.demo): three requests, two of them filed from a contact.
RESIDENT_REQUESTS, RESIDENT_CONTACTS = 3, 2


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **{**SMALL, **options})
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def test_demo_prints_progress_a_summary_and_the_logins(demo):
    assert "catalogue … done" in demo
    assert "requests 150/150" in demo
    assert "contacts 400/400" in demo
    assert re.search(r"Took \d+\.\d s", demo)
    for username in ("neuvoja", "puhelin", "esimies", "paakayttaja"):
        assert re.search(rf"^\s+{username}\s+\S{{10,}}\s+\w+", demo, re.MULTILINE), username


def test_demo_loads_the_catalogue_in_three_languages(demo):
    assert Service.objects.count() == 49
    assert not Service.objects.filter(name_sv="").exists()
    assert not Department.objects.filter(name_en="").exists()


def test_demo_logins_work_with_the_printed_passwords(demo):
    printed = dict(re.findall(r"^\s+(\S+)\s+(\S+)\s+(?:advisor|expert|supervisor|admin|resident)\b", demo, re.MULTILINE))
    assert len(printed) >= 8
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password), username
    roles = Counter(User.objects.filter(username__in=printed).values_list("role", flat=True))
    assert roles[Role.ADVISOR] >= 2 and roles[Role.EXPERT] >= 3 and roles[Role.SUPERVISOR] == 1
    admin = User.objects.get(role=Role.ADMIN, username__in=printed)
    assert admin.is_staff and admin.is_superuser
    assert all(u.department_id for u in User.objects.filter(role=Role.EXPERT, username__in=printed))
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": admin.username, "password": printed[admin.username]})
    assert response.status_code == 302
    assert client.get("/admin/catalogue/service/").status_code == 200


def test_demo_customers_have_valid_identifiers_and_contact_details(demo):
    persons = Party.objects.filter(kind=Party.Kind.PERSON)
    organisations = Party.objects.filter(kind=Party.Kind.ORGANISATION)
    assert persons.count() + organisations.count() == SMALL["residents"]
    assert organisations.exists()
    for code in persons.values_list("national_id", flat=True):
        assert hetu.is_valid(code, allow_temporary=True), code
        assert 900 <= int(code[7:10]) <= 999, code  # test range only
    for code in organisations.values_list("business_id", flat=True):
        assert ytunnus.is_valid(code), code
    assert persons.filter(language="sv").exists()
    assert not Party.objects.filter(search_name="").exists()
    assert ContactPoint.objects.filter(kind="address").count() == SMALL["residents"]
    assert all(p.startswith("+358") for p in ContactPoint.objects.filter(kind="phone").values_list("value", flat=True))
    assert User.objects.get(username="asukas").party is not None


def test_demo_requests_are_numbered_like_filed_ones_and_have_their_history(demo):
    requests = list(ServiceRequest.objects.order_by("created_at", "id"))
    assert len(requests) == SMALL["requests"] + RESIDENT_REQUESTS
    numbers = [r.number for r in requests]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"ESI-\d{4}-\d{6}", n) for n in numbers)
    for request in requests:
        assert request.number.startswith(f"ESI-{timezone.localtime(request.created_at).year}-")
    # The counters continue where the demo stopped, so the next filing gets a fresh number.
    for counter in RequestCounter.objects.all():
        last = max(int(n[-6:]) for n in numbers if n[4:8] == str(counter.year))
        assert counter.last == last
    events = Counter(RequestEvent.objects.values_list("request_id", flat=True))
    assert all(events[r.pk] >= 1 for r in requests)
    for request in requests:
        history = list(request.events.order_by("at", "id"))
        assert history[0].kind == "filed"
        # The last change of status leads to the current one (a message added changes none).
        assert [event for event in history if event.to_status][-1].to_status == request.status, request.number
        assert all(a.at <= b.at for a, b in zip(history, history[1:], strict=False))
        assert request.due_date >= request.created_at.date()
    statuses = Counter(r.status for r in requests)
    assert statuses["closed"] + statuses["resolved"] > len(requests) / 2


def test_demo_contacts_are_consistent(demo):
    assert Contact.objects.count() == SMALL["contacts"] + RESIDENT_CONTACTS
    assert not Contact.objects.filter(ended_at__lt=F("started_at")).exists()
    needs_request = Contact.objects.filter(outcome__in=["request_filed", "forwarded"])
    assert needs_request.exists()
    assert not needs_request.filter(requests=None).exists()
    answered = Contact.objects.filter(outcome="answered").count() / SMALL["contacts"]
    assert 0.6 <= answered <= 0.9
    channels = Counter(Contact.objects.values_list("channel__code", flat=True))
    assert channels["phone"] > channels["email"] and channels["service_point"] > channels["letter"]


def test_second_run_is_idempotent(demo):
    models = [Party, ContactPoint, ServiceRequest, RequestEvent, Contact, User, Service, RequestCounter]
    before = {model: model.objects.count() for model in models}
    counters = list(RequestCounter.objects.values_list("year", "last"))
    output = run_demo()
    assert "already loaded" in output
    assert {model: model.objects.count() for model in models} == before
    assert list(RequestCounter.objects.values_list("year", "last")) == counters


def test_same_seed_builds_the_same_city(db):
    run_demo(residents=15, requests=10, contacts=20, seed=7)
    first = sorted(Party.objects.values_list("national_id", "business_id", "search_name"), key=str)
    Contact.objects.all().delete()
    Submission.objects.all().delete()
    RequestEvent.objects.all().delete()
    ServiceRequest.objects.all().delete()
    RequestCounter.objects.all().delete()
    ContactPoint.objects.all().delete()
    Customership.objects.all().delete()
    User.objects.update(party=None)
    Party.objects.all().delete()
    run_demo(residents=15, requests=10, contacts=20, seed=7)
    assert sorted(Party.objects.values_list("national_id", "business_id", "search_name"), key=str) == first


def test_open_requests_are_the_recent_ones(demo):
    open_requests = ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
    closed = ServiceRequest.objects.exclude(status__in=OPEN_STATUSES)
    assert open_requests.exists()
    median_open = sorted(r.created_at for r in open_requests)[open_requests.count() // 2]
    median_closed = sorted(r.created_at for r in closed)[closed.count() // 2]
    assert median_open > median_closed
