"""`aspa demo` publishes Esimerkkilä's routing rules and trains a classifier from the demo's closed
requests; a second run changes nothing."""

from aspa.catalogue.operations import ESIMERKKILA, load_catalogue
from aspa.identity.models import Role
from aspa.requests.models import ServiceRequest
from aspa.routing import demo, queries
from aspa.routing.models import ClassifierModel, RuleSet
from tests.factories.identity import UserFactory
from tests.factories.requests import file, in_status


def test_the_demo_rules_and_classifier(db):
    load_catalogue(ESIMERKKILA)
    UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    advisor = UserFactory(role=Role.ADVISOR)
    in_status("closed", advisor, service="venepaikka", type="application", description="Haen venepaikkaa")
    in_status("closed", advisor, service="yleisneuvonta", description="Milloin virasto on auki?")
    said: list[str] = []
    demo.load_demo(said.append)
    assert RuleSet.objects.get().is_active
    assert ClassifierModel.objects.count() == 1
    demo.load_demo(said.append)
    assert (RuleSet.objects.count(), ClassifierModel.objects.count()) == (1, 1)
    assert "Routing: the rules are already uploaded." in said

    # The shipped rules route the city's real services: a berth application goes to the marina team.
    routed = file(advisor, service="venepaikka", type="application", channel="web", description="Venepaikka 6 m")
    stored = ServiceRequest.objects.get(pk=routed.pk)
    assert stored.team.code == "satama-venepaikat"
    assert stored.events.get(kind="routed").data["rule_set"]["name"] == "Palveluohjaus"
    assert queries.active_table()[1].name == "Palveluohjaus"
