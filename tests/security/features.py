"""The objects of the feature apps that the security tests need besides requests and customers:
a form and its submission, a process whose task waits in the building department, public and
internal knowledge articles, an entry of the expert directory and a trained routing model.

Built through the apps' own operations wherever they have one, so the rows are what production
writes. Only the submission is made directly: the form app files a new request of its own, and
the tests need the answers of the world's existing request."""

import json
import uuid

from aspa.eforms.models import FormDefinition, Submission
from aspa.knowledge import operations as knowledge
from aspa.knowledge.models import Article, Expert
from aspa.processes.operations import publish_version as publish_process
from aspa.requests.models import ServiceRequest
from aspa.routing import operations as routing
from aspa.routing.classifier import Example
from tests.factories.eforms import make_form, one_section, text

# One user task in a lane of the building department: its experts do it, nobody else's do.
CHECK_PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Definitions_tarkistus"
    targetNamespace="https://aspa.example/tests">
  <bpmn:process id="tarkistus" name="Lupahakemuksen tarkistus" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_building" name="Rakennusvalvonta">
        <bpmn:extensionElements>
          <spiffworkflow:properties>
            <spiffworkflow:property name="department" value="rakennusvalvonta" />
          </spiffworkflow:properties>
        </bpmn:extensionElements>
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>check</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>flow_start</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="check" name="Tarkista">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="label" value="Tarkista hakemus|Kontrollera ansökan|Check the application" />
          <spiffworkflow:property name="choices" value="done" />
          <spiffworkflow:property name="choice.done" value="Tarkistettu|Kontrollerad|Checked" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_start</bpmn:incoming>
      <bpmn:outgoing>flow_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>flow_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="flow_end" sourceRef="check" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""

FORM = one_section({"name": "wish", "type": "text", "label": text("Toive"), "required": True})

ARTICLES = [
    {"id": "S-PUBLIC", "lang": "fi", "title": "Rakennusluvan hakeminen", "audience": "public",
     "body": "Rakennuslupaa haetaan sähköisesti ennen rakentamisen aloittamista.", "keywords": ["rakennuslupa"]},
    {"id": "S-INTERNAL", "lang": "fi", "title": "Ohje: lupahakemusten jonon purku", "audience": "internal",
     "body": "Lupatiimi purkaa rakennuslupahakemusten jonon maanantaisin.", "keywords": ["rakennuslupa"]},
]

EXAMPLES = [
    Example("Haen rakennuslupaa omakotitalon laajennukselle", "fi", "rakennuslupa", "rakennusvalvonta", "application"),
    Example("Tarvitseeko autotalli rakennusluvan", "fi", "rakennuslupa", "rakennusvalvonta", "question"),
    Example("Milloin kaupungintalo on auki", "fi", "yleisneuvonta", "aspa", "question"),
    Example("Mikä on asiakaspalvelun puhelinnumero", "fi", "yleisneuvonta", "aspa", "question"),
]


def publish_check_process(catalogue) -> None:
    """Requests of the permit service filed from now on start the check process."""
    publish_process(None, code="tarkistus", content=CHECK_PROCESS, file_name="tarkistus.bpmn",
                    service=catalogue.permit.code)


def make_form_for_requests(catalogue) -> FormDefinition:
    return make_form(catalogue, FORM, code="toivelomake")


def submit(form: FormDefinition, service_request: ServiceRequest) -> Submission:
    """The answers a request was filed with."""
    return Submission.objects.create(token=uuid.uuid4(), version=form.versions.get(), request=service_request,
                                     answers={"wish": "Penkki rantaan"}, language="fi")


def make_articles() -> tuple[Article, Article]:
    knowledge.import_articles([json.dumps(article, ensure_ascii=False) for article in ARTICLES])
    return Article.objects.get(external_id="S-PUBLIC"), Article.objects.get(external_id="S-INTERNAL")


def make_expert(catalogue) -> Expert:
    return Expert.objects.create(name="Liisa Lupa", department=catalogue.building, topics="rakennuslupa")


def train_router() -> None:
    routing.train_classifier(EXAMPLES, source="tests", trained_by="tests")
