import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from aspa.identity.models import Role
from tests.conftest import ApiClient
from tests.factories.customers import PersonFactory
from tests.factories.identity import UserFactory


@pytest.fixture
def resident_api(db, catalogue):
    """resident_api(party) → an ApiClient signed in (browser session) as the resident of that party.

    Residents use the portal's session, not API tokens."""

    def make(party=None, language: str = "en") -> ApiClient:
        user = UserFactory(role=Role.RESIDENT, party=party or PersonFactory())
        client = ApiClient(user, None, language)
        client.client.force_login(user)
        return client

    return make


@pytest.fixture
def file_request(catalogue):
    """file_request(party, department) → a bare service request tying the party to the department."""
    counter = iter(range(1, 10_000))

    def make(party, department):
        service_request = apps.get_model("requests", "ServiceRequest")
        return service_request.objects.create(
            number=f"TEST-{next(counter)}-{party.pk}", type=catalogue.question, channel=catalogue.phone,
            department=department, party=party, description="Naapurin aita",
            due_date=datetime.date(2030, 1, 1), created_at=timezone.now(),
        )

    return make
