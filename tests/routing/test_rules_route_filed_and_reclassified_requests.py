"""A published rule decides team, department, priority and due date when a request is filed or
reclassified, and the history says which rule of which version did it."""

from django.utils import timezone

from aspa.requests import operations as request_operations
from aspa.requests.models import ServiceRequest, Status
from aspa.requests.workdays import add_working_days
from tests.factories.identity import UserFactory
from tests.factories.requests import file, in_status


def _filed_on(service_request):
    return timezone.localdate(ServiceRequest.objects.get(pk=service_request.pk).created_at)


def test_a_rule_routes_a_filed_request_and_the_history_names_it(publish, catalogue):
    publish()
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, type="application", service="rakennuslupa", channel="web",
                           description="Kiireellinen: haen lupaa katoksen rakentamiseen")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.team.code, stored.department.code, stored.priority) == ("luvat", "rakennusvalvonta", "urgent")
    assert stored.due_date == add_working_days(_filed_on(stored), 2)
    event = stored.events.get(kind="routed")
    assert event.actor is None and event.actor_label == "system"
    assert event.data["trigger"] == "filed"
    assert event.data["rule_set"]["version"] == 1
    assert (event.data["rule"]["row"], event.data["rule"]["description"]) == (1, "Kiireellinen lupa-asia")
    assert event.data["changes"]["team"] == {"from": None, "to": "luvat"}
    assert event.data["changes"]["priority"] == {"from": "normal", "to": "urgent"}


def test_the_first_matching_rule_decides(publish, catalogue):
    publish()
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, type="application", service="rakennuslupa", description="Haen lupaa katokselle")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert stored.priority == "normal"
    assert stored.due_date == add_working_days(_filed_on(stored), 15)
    assert stored.events.get(kind="routed").data["rule"]["row"] == 2


def test_no_matching_rule_leaves_the_request_and_its_history_alone(publish, catalogue):
    publish()
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, channel="email")  # general advice by email: no rule
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.priority, stored.team, stored.department.code) == ("normal", None, "aspa")
    assert not stored.events.filter(kind="routed").exists()


def test_without_published_rules_filing_is_as_before(catalogue):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, type="application", service="rakennuslupa")
    assert not service_request.events.filter(kind="routed").exists()
    assert service_request.team is None


def test_reclassifying_runs_the_rules_for_the_new_service(publish, catalogue):
    publish()
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = in_status(Status.IN_PROGRESS, advisor, channel="email")  # general advice, no rule
    request_operations.classify(advisor, service_request, version=service_request.version, service="rakennuslupa")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.team.code, stored.department.code) == ("luvat", "rakennusvalvonta")
    assert stored.due_date == add_working_days(_filed_on(stored), 15)
    kinds = list(stored.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["classify", "routed"]
    routed = stored.events.get(kind="routed")
    assert routed.data["trigger"] == "classified"
    # Routing is a change of its own, after the classification committed: one version later than
    # the one the caller's object carries (the desk reloads the request before its next change).
    assert stored.version == service_request.version + 1


def test_reclassifying_through_the_api_returns_the_routed_request(publish, api, catalogue):
    publish()
    client = api("advisor")
    service_request = in_status(Status.RECEIVED, client.user, channel="email")
    response = client.post(f"requests/{service_request.pk}/actions",
                           {"action": "classify", "version": service_request.version, "service": "rakennuslupa"})
    body = response.json()
    assert response.status_code == 200, body
    assert (body["team"], body["department"]) == ("luvat", "rakennusvalvonta")
    events = client.get(f"requests/{service_request.pk}/events").json()
    assert events[-1]["kind"] == "routed"


def test_a_resident_filing_is_routed_too(publish, catalogue):
    from tests.factories.requests import resident_user

    publish()
    resident = resident_user()
    service_request = file(resident, type="question", service="yleisneuvonta", channel="phone",
                           description="Milloin palvelupiste on auki?")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert stored.priority == "low"
    assert stored.events.get(kind="routed").data["rule"]["first_level"] is True


def test_a_rule_that_names_another_department_takes_the_request_out_of_its_team(publish, catalogue):
    publish([("Luvat neuvontaan", {"service": '"rakennuslupa"'}, {"department": '"aspa"'})])
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    service_request = file(advisor, type="application", service="rakennuslupa", team="luvat")
    stored = ServiceRequest.objects.get(pk=service_request.pk)
    assert (stored.department.code, stored.team) == ("aspa", None)
    assert stored.events.get(kind="routed").data["changes"]["team"] == {"from": "luvat", "to": None}
