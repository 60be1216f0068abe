"""A boat-berth application filed without a service: routing's classifier chooses `venepaikka`, and
then the process of that service starts, because the pipeline starts the process of the service
routing chose, after routing (it used to start before routing, for no service, and never again)."""

from aspa.processes.models import ProcessInstance
from aspa.routing import operations as routing_operations
from aspa.routing.classifier import Example
from tests.processes.conftest import file_for

BERTH_TEXTS = ["Haen venepaikkaa moottoriveneelle satamasta", "Venepaikka purjeveneelle ensi kesäksi",
               "Tarvitsen laituripaikan veneelle", "Söker båtplats för min motorbåt"]
FELLING_TEXTS = ["Haen lupaa kaataa koivu pihalta", "Hakkuulupa kolmelle kuuselle tontilla",
                 "Puiden kaataminen omakotitalon pihalla", "Tillstånd att fälla en björk"]


def _train():
    examples = ([Example(text, "fi", "venepaikka", "satama", "application") for text in BERTH_TEXTS]
                + [Example(text, "fi", "hakkuutahdelupa", "katu", "application") for text in FELLING_TEXTS])
    routing_operations.train_classifier(examples, source="tests", trained_by="tests")


def test_a_boat_berth_application_filed_without_a_service_is_routed_and_its_process_starts(city, settings):
    _train()
    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 0.0
    resident = city.resident()

    service_request = file_for(resident, None, "application", "Haen venepaikkaa 6 metrin moottoriveneelle.")

    service_request.refresh_from_db()
    assert service_request.service.code == "venepaikka"
    kinds = list(service_request.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds[:3] == ["filed", "routed", "process_started"]
    instance = ProcessInstance.objects.get(request=service_request)
    assert instance.version.definition.code == "venepaikkahakemus"


def test_a_request_reclassified_to_a_service_with_a_process_starts_it(city):
    from aspa.requests import operations as request_operations

    service_request = file_for(city.resident(), None, "application", "Hakemus")
    assert not ProcessInstance.objects.filter(request=service_request).exists()

    request_operations.classify(city.advisor, service_request, version=service_request.version, service="venepaikka")

    assert ProcessInstance.objects.get(request=service_request).version.definition.code == "venepaikkahakemus"
    kinds = list(service_request.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds[:3] == ["filed", "classify", "process_started"]
