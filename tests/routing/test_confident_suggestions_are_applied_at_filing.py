"""A new request that nobody classified gets the classifier's best service by itself only when the
suggestion is at least as confident as the setting says; the history records it."""

from aspa.requests.models import ServiceRequest
from aspa.routing import queries
from tests.factories.identity import UserFactory
from tests.factories.requests import file

PERMIT_QUESTION = "Tarvitseeko uusi autotalli rakennusluvan?"


def _file_unclassified(catalogue, description=PERMIT_QUESTION):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, service=None, type="question", channel="email", description=description)
    return ServiceRequest.objects.get(pk=service_request.pk)


def _score(text=PERMIT_QUESTION) -> float:
    best = queries.suggest(text, "fi", type="question")[0]
    assert best.service == "rakennuslupa"
    return best.score


def test_a_suggestion_above_the_threshold_is_applied_and_recorded(settings, catalogue, trained):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = round(_score() - 0.05, 2)
    stored = _file_unclassified(catalogue)
    assert (stored.service.code, stored.department.code) == ("rakennuslupa", "rakennusvalvonta")
    event = stored.events.get(kind="routed")
    assert event.data["suggestion"]["service"] == "rakennuslupa"
    assert event.data["suggestion"]["score"] >= event.data["suggestion"]["threshold"]
    assert event.data["changes"]["service"] == {"from": None, "to": "rakennuslupa"}
    assert "rule" not in event.data


def test_a_suggestion_below_the_threshold_is_not_applied(settings, catalogue, trained):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = round(_score() + 0.01, 2)
    stored = _file_unclassified(catalogue)
    assert stored.service is None
    assert stored.department.code == "aspa"  # the centre's until someone classifies it
    assert not stored.events.filter(kind="routed").exists()


def test_a_threshold_above_one_turns_it_off(settings, catalogue, trained):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 1.01
    assert _file_unclassified(catalogue).service is None


def test_a_request_filed_with_a_service_keeps_it(settings, catalogue, trained):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 0.0
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, service="yleisneuvonta", description=PERMIT_QUESTION)
    assert ServiceRequest.objects.get(pk=service_request.pk).service.code == "yleisneuvonta"


def test_the_rules_then_route_the_suggested_service(settings, catalogue, trained, publish):
    publish()
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 0.0
    stored = _file_unclassified(catalogue)
    assert (stored.service.code, stored.team.code) == ("rakennuslupa", "luvat")
    event = stored.events.get(kind="routed")
    assert (event.data["suggestion"]["service"], event.data["rule"]["row"]) == ("rakennuslupa", 2)


def test_without_a_classifier_filing_is_as_before(settings, catalogue):
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 0.0
    assert _file_unclassified(catalogue).service is None
