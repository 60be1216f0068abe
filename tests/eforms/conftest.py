import pytest
from django.utils import translation

from tests.factories.eforms import city  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _english():
    """Messages checked outside a request are read in English, whatever an earlier test's
    request left active in this thread."""
    with translation.override("en"):
        yield
