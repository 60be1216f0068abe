"""Administrators publish BPMN files as numbered versions: a broken file is refused with the
parser's message and nothing is saved; running instances keep the version they started with."""

import pytest
from django.core.management import call_command

from aspa.errors import Forbidden, InvalidInput
from aspa.identity.models import Role
from aspa.processes.models import ProcessDefinition, ProcessInstance, ProcessVersion
from aspa.processes.operations import BPMN_DIR, load_shipped, publish_version
from aspa.processes.queries import work_list
from aspa.requests.models import Status
from tests.factories.identity import UserFactory
from tests.processes.conftest import complete_on_desk, file_for, task_for

BERTH = (BPMN_DIR / "venepaikkahakemus.bpmn").read_text()


def _admin():
    return UserFactory(role=Role.ADMIN)


def test_loading_the_shipped_files_again_changes_nothing(city):
    assert ProcessVersion.objects.count() == 4
    assert load_shipped() == {"published": 0, "unchanged": 4}
    call_command("processes", "load")
    assert ProcessVersion.objects.count() == 4
    assert ProcessDefinition.objects.get(code="venepaikkahakemus").service.code == "venepaikka"


@pytest.mark.parametrize(("content", "reason"), [
    ("<bpmn:definitions", "The file was refused: XMLSyntaxError"),
    (BERTH.replace('targetRef="decide"', 'targetRef="nowhere"', 1), "The file was refused:"),
    (BERTH.replace('value="satama-venepaikat"', 'value="no-such-team"', 1), "no team with the code “no-such-team”"),
    (BERTH.replace('<spiffworkflow:serviceTaskOperator id="forward">', '<spiffworkflow:serviceTaskOperator id="delete_everything">'),
     "unknown operator “delete_everything”"),
    (BERTH.replace('name="choices" value="offer,waiting_list,reject"', 'name="choices" value=""'),
     "give its choices"),
])
def test_broken_file_is_refused_with_the_reason_and_nothing_is_saved(city, content, reason):
    with pytest.raises(InvalidInput) as refused:
        publish_version(_admin(), code="venepaikkahakemus", content=content, file_name="broken.bpmn")
    assert reason in refused.value.fields["file"][0]
    assert ProcessDefinition.objects.get(code="venepaikkahakemus").versions.count() == 1


def test_only_administrators_publish(city):
    with pytest.raises(Forbidden):
        publish_version(city.advisor, code="venepaikkahakemus", content=BERTH, file_name="v2.bpmn")


def test_running_instance_keeps_its_version_while_new_requests_take_the_new_one(city):
    first = file_for(city.resident(), "venepaikka", "application")
    # Version 2 words the centre's check differently.
    changed = BERTH.replace("Tarkista, onko hakemus täydellinen", "Tarkista hakemus (versio 2)")
    version = publish_version(_admin(), code="venepaikkahakemus", content=changed, file_name="v2.bpmn")
    assert version.number == 2
    second = file_for(city.resident(), "venepaikka", "application")

    assert ProcessInstance.objects.get(request=first).version.number == 1
    assert ProcessInstance.objects.get(request=second).version.number == 2
    checks = {task.request_id: task for task in work_list(city.advisor).filter(bpmn_id="check")}
    assert checks[first.pk].label_fi == "Tarkista, onko hakemus täydellinen"
    assert checks[second.pk].label_fi == "Tarkista hakemus (versio 2)"

    # The first one runs to its end on version 1.
    complete_on_desk(city.advisor, checks[first.pk], "complete")
    complete_on_desk(city.marina, task_for(city.marina, "decide"), "offer")
    # Invoicing is not connected: the marina team invoices the rent by hand before the resident is told.
    complete_on_desk(city.marina, task_for(city.marina, "invoice_by_hand"), "invoiced")
    first.refresh_from_db()
    assert first.status == Status.RESOLVED


def test_a_process_that_fails_at_its_start_does_not_stop_the_filing(city):
    # This version asks the resident a question before anyone has looked at the application;
    # only staff may ask, so the process cannot start.
    broken = BERTH.replace('<bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="check" />',
                           '<bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="ask" />')
    assert broken != BERTH
    publish_version(_admin(), code="venepaikkahakemus", content=broken, file_name="v2.bpmn")

    service_request = file_for(city.resident(), "venepaikka", "application")

    assert service_request.status == Status.RECEIVED
    assert not ProcessInstance.objects.filter(request=service_request).exists()
    failure = service_request.events.get(kind="process_failed")
    assert failure.data["error"]
