"""The outbox's tests use the process tests' city: the demo catalogue and the shipped processes."""

from tests.processes.conftest import city  # noqa: F401  (the fixture)
