"""Every upload is a new version; publishing switches the one in use, and only one is ever in use."""

import pytest
from django.db import IntegrityError, transaction

from aspa.requests.models import ServiceRequest
from aspa.routing import operations, queries
from aspa.routing.models import RuleSet
from tests.factories.identity import UserFactory
from tests.factories.requests import file
from tests.routing.conftest import RULES, dmn

URGENT_ADVICE = [("Kaikki neuvonta kiireelliseksi", {"service": '"yleisneuvonta"'}, {"priority": '"urgent"'})]


def test_uploads_are_numbered_and_not_used_until_published(admin_user, catalogue):
    first = operations.upload_rule_set(admin_user, content=dmn(RULES), file_name="rules.dmn", comment="Ensimmäinen")
    second = operations.upload_rule_set(admin_user, content=dmn(URGENT_ADVICE), file_name="rules.dmn")
    assert (first.version, second.version) == (1, 2)
    assert first.name == "Testisäännöt"
    assert queries.active_rule_set() is None


def test_publishing_switches_the_version_that_routes(admin_user, catalogue):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    first = operations.upload_rule_set(admin_user, content=dmn(RULES), file_name="rules.dmn")
    second = operations.upload_rule_set(admin_user, content=dmn(URGENT_ADVICE), file_name="rules.dmn")
    operations.publish_rule_set(admin_user, first)
    # Routed after the filing commits: the stored request carries the decision.
    assert ServiceRequest.objects.get(pk=file(advisor).pk).priority == "low"  # rule 3 of the first version
    operations.publish_rule_set(admin_user, second)
    assert list(RuleSet.objects.filter(is_active=True)) == [second]
    routed = ServiceRequest.objects.get(pk=file(advisor).pk)
    assert routed.priority == "urgent"
    assert ServiceRequest.objects.get(pk=routed.pk).events.get(kind="routed").data["rule_set"]["version"] == 2


def test_the_database_refuses_two_active_versions(admin_user, catalogue):
    first = operations.upload_rule_set(admin_user, content=dmn(RULES), file_name="rules.dmn")
    second = operations.upload_rule_set(admin_user, content=dmn(URGENT_ADVICE), file_name="rules.dmn")
    operations.publish_rule_set(admin_user, first)
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.filter(pk=second.pk).update(is_active=True)


def test_trying_a_version_changes_nothing(admin_user, catalogue):
    draft = operations.upload_rule_set(admin_user, content=dmn(RULES), file_name="rules.dmn")
    decision = operations.try_rule_set(admin_user, draft, queries.Facts(service="rakennuslupa", text="Kiire!"))
    assert (decision.row, decision.outputs["team"], decision.outputs["priority"]) == (1, "luvat", "urgent")
    assert operations.try_rule_set(admin_user, draft, queries.Facts(service="yleisneuvonta", channel="web")) is None
    assert queries.active_rule_set() is None
