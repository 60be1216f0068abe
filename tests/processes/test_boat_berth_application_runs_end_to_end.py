"""Venepaikkahakemus: filed → the centre checks it is complete → the marina team decides → for an
offered berth, the marina team invoices the rent by hand in the finance system (no invoicing
system is connected) → the resident is told the decision."""

import pytest

from aspa.processes.models import ProcessInstance, ProcessTask
from aspa.requests import operations as request_operations
from aspa.requests.models import Message, Status
from tests.processes.conftest import complete_on_desk, file_for, task_for


def _kinds(service_request):
    return list(service_request.events.values_list("kind", flat=True))


def test_offered_berth_waits_for_the_rent_to_be_invoiced_by_hand_then_is_told_to_the_resident(
        city, mailoutbox, django_capture_on_commit_callbacks):
    resident = city.resident(language="sv", email="seglare@example.fi")
    service_request = file_for(resident, "venepaikka", "application", "Söker båtplats för en 6 m motorbåt.")

    instance = ProcessInstance.objects.get(request=service_request)
    assert instance.version.definition.code == "venepaikkahakemus"
    check = task_for(city.advisor, "check")
    assert check.department.code == "aspa" and check.team is None
    assert not ProcessTask.objects.filter(request=service_request, bpmn_id="decide").exists()

    response = complete_on_desk(city.advisor, check, "complete")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/desk/requests/{service_request.number}/?done=process_task")

    service_request.refresh_from_db()
    # The process forwarded it to the marina team: it is in the team's queue now.
    assert service_request.status == Status.FORWARDED
    assert service_request.team.code == "satama-venepaikat"
    decide = task_for(city.marina, "decide")
    assert decide.due_at is not None
    assert not ProcessTask.objects.get(pk=check.pk).is_open

    with django_capture_on_commit_callbacks(execute=True):
        response = complete_on_desk(city.marina, decide, "offer", note="Laituri B, paikka 12.")
    assert response.status_code == 302

    # No invoicing system is connected: the step says so in the history, with what to invoice,
    # and the process waits for the marina team to invoice by hand before the resident is told.
    service_request.refresh_from_db()
    assert service_request.status == Status.FORWARDED
    assert mailoutbox == []
    step = service_request.events.get(kind="process_step_not_connected")
    assert step.data["step"] == "request_invoice" and step.data["system"] == "invoicing"
    assert step.data["connected"] is False
    assert step.data["product"] == "venepaikka-laituri"
    assert step.data["amount"] == "180.00"
    by_hand = task_for(city.marina, "invoice_by_hand")
    assert "not connected" in by_hand.label_en
    assert ProcessInstance.objects.get(pk=instance.pk).status == ProcessInstance.Status.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        response = complete_on_desk(city.marina, by_hand, "invoiced", note="Lasku 2025-0042")
    assert response.status_code == 302

    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    # In the resident's language, with the team's note.
    assert service_request.resolution.startswith("Du erbjuds en båtplats.")
    assert [mail.to for mail in mailoutbox] == [["seglare@example.fi"]]
    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert _kinds(service_request)[-1] == "process_completed"
    assert "process_task_completed" in _kinds(service_request)


@pytest.mark.parametrize("choice", ["waiting_list", "reject"])
def test_waiting_list_and_rejection_are_told_and_nobody_is_asked_to_invoice(city, choice):
    resident = city.resident()
    service_request = file_for(resident, "venepaikka", "application")
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    complete_on_desk(city.marina, task_for(city.marina, "decide"), choice)

    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert not service_request.events.filter(kind="process_step_not_connected").exists()
    assert not ProcessTask.objects.filter(request=service_request, bpmn_id="invoice_by_hand").exists()
    assert ProcessInstance.objects.get(request=service_request).status == ProcessInstance.Status.COMPLETED


def test_incomplete_application_asks_the_resident_and_comes_back_to_the_check(city):
    resident = city.resident()
    service_request = file_for(resident, "venepaikka", "application")
    check = task_for(city.advisor, "check")

    complete_on_desk(city.advisor, check, "incomplete", note="Mikä on veneen pituus?")

    service_request.refresh_from_db()
    assert service_request.status == Status.WAITING
    question = Message.objects.get(request=service_request, visibility=Message.Visibility.CUSTOMER)
    assert question.body == "Mikä on veneen pituus?"
    # The check is open again for when the answer comes.
    again = task_for(city.advisor, "check")
    assert again.pk != check.pk


def test_request_classified_as_a_berth_application_later_starts_the_process(city):
    service_request = request_operations.file_request(city.advisor, type="application", channel="email",
                                                      description="Haluaisin venepaikan ensi kesäksi.")
    assert not ProcessInstance.objects.filter(request=service_request).exists()

    request_operations.classify(city.advisor, service_request, version=service_request.version, service="venepaikka")

    assert ProcessInstance.objects.get(request=service_request).version.definition.code == "venepaikkahakemus"
    assert task_for(city.advisor, "check").request_id == service_request.pk
