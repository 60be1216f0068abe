"""The benchmark city's generator works on a freshly migrated database and again over its own
city (`--reset`), also when other apps keep rows about its customers: a resident's form draft
with a file (which refers to the party through the draft) and a resident's login (which is kept,
its reference to the customer cleared). PostgreSQL only: the generator writes with COPY."""

import uuid

import pytest
from django.db import connection

from aspa.contacts.models import Contact
from aspa.customers.models import Party
from aspa.eforms.models import Draft, DraftFile, FormVersion
from aspa.identity.models import Role, User
from aspa.requests.models import RequestCounter, RequestEvent, ServiceRequest
from tests.benchmarks.conftest import postgresql_only
from tests.factories.eforms import load_city
from tests.factories.identity import UserFactory

SIZE = ["--persons", "190", "--requests", "400", "--contacts", "600"]

pytestmark = [
    postgresql_only,
    # The generator commits and runs VACUUM, which cannot run inside a test's transaction.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def generate_city(benchmarks_on_path):
    """The generator's main(), imported from benchmarks/ as the script imports its helpers."""
    import generate_city

    return generate_city.main


def city_counts() -> dict[str, int]:
    return {"parties": Party.objects.count(), "persons": Party.objects.filter(kind="person").count(),
            "requests": ServiceRequest.objects.count(), "contacts": Contact.objects.count(),
            "filed events": RequestEvent.objects.filter(kind="filed").count(),
            "numbered": sum(RequestCounter.objects.values_list("last", flat=True))}


def test_generator_runs_twice_with_reset_over_drafts_and_logins(generate_city):
    assert generate_city([*SIZE, "--reset"]) == 0
    first = city_counts()
    # 190 persons and 5 % organisations on top (10), every request filed and numbered.
    assert first == {"parties": 200, "persons": 190, "requests": 400, "contacts": 600, "filed events": 400,
                     "numbered": 400}
    first_party = Party.objects.order_by("id").values_list("id", flat=True).first()

    load_city()  # the shipped forms, for a draft
    party = Party.objects.filter(kind="person").first()
    resident = UserFactory(username="bench-resident", role=Role.RESIDENT, party=party)
    draft = Draft.objects.create(token=uuid.uuid4(), version=FormVersion.objects.first(), user=resident, party=party)
    DraftFile.objects.create(draft=draft, token=uuid.uuid4(), field="liite", file="drafts/liite.pdf",
                             original_name="liite.pdf", content_type="application/pdf", size=10)

    assert generate_city([*SIZE, "--reset"]) == 0

    assert city_counts() == first
    # The identities restart: the same city gets the same ids.
    assert Party.objects.order_by("id").values_list("id", flat=True).first() == first_party
    assert not Draft.objects.exists()
    assert not DraftFile.objects.exists()
    resident.refresh_from_db()
    assert resident.party is None
    assert User.objects.filter(username="bench-advisor-1").exists()
    assert connection.vendor == "postgresql"
