"""The other shipped processes, each from filing to its end, through the desk's task forms."""

from aspa.processes.models import ProcessInstance
from aspa.processes.queries import work_list
from aspa.requests.models import Status
from tests.processes.conftest import complete_on_desk, file_for, task_for


def _finished(service_request) -> bool:
    return ProcessInstance.objects.get(request=service_request).status == ProcessInstance.Status.COMPLETED


def test_logging_residue_permit_is_granted_once_the_fee_is_invoiced_by_hand(city):
    service_request = file_for(city.resident(), "hakkuutahdelupa", "permit", "Haluan kerätä risuja Kuusiston metsästä.")
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    service_request.refresh_from_db()
    assert service_request.team.code == "katu-luvat"

    response = complete_on_desk(city.streets_permits, task_for(city.streets_permits, "decide"), "grant",
                                note="Keräysalue: Kuusiston metsä, 1.5.–30.9.")
    assert response.status_code == 302
    # No invoicing system is connected: the history says what to invoice, and the team does it by hand.
    not_connected = service_request.events.get(kind="process_step_not_connected")
    assert not_connected.data["system"] == "invoicing" and not_connected.data["amount"] == "20.00"
    service_request.refresh_from_db()
    assert service_request.status != Status.RESOLVED and not _finished(service_request)

    complete_on_desk(city.streets_permits, task_for(city.streets_permits, "invoice_by_hand"), "invoiced")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert service_request.resolution.startswith("Hakkuutähdelupa on myönnetty.")
    assert _finished(service_request)


def test_parking_fine_claim_goes_to_parking_control_and_the_decision_carries_appeal_instructions(city):
    resident = city.resident(language="en", email="driver@example.fi")
    service_request = file_for(resident, "pysakointivirhemaksu", "appeal", "The sign was covered by snow.")
    complete_on_desk(city.advisor, task_for(city.advisor, "register"), "in_time")
    service_request.refresh_from_db()
    assert service_request.department.code == "pysakointi" and service_request.team is None

    decide = task_for(city.parking, "decide")
    # The reasons are required: without them nothing happens.
    response = complete_on_desk(city.parking, decide, "reject")
    assert response.status_code == 422
    assert b"This field is required." in response.content
    assert task_for(city.parking, "decide").pk == decide.pk

    complete_on_desk(city.parking, decide, "reject", note="The sign was visible in the photos taken.")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert "administrative court within 30 days" in service_request.resolution
    assert service_request.resolution.endswith("The sign was visible in the photos taken.")
    assert _finished(service_request)


def test_late_parking_fine_claim_is_answered_by_the_centre(city):
    service_request = file_for(city.resident(), "pysakointivirhemaksu", "appeal")
    complete_on_desk(city.advisor, task_for(city.advisor, "register"), "late")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert "määräajan jälkeen" in service_request.resolution
    assert _finished(service_request)


def test_residents_initiative_is_acknowledged_published_by_hand_and_answered(city):
    service_request = file_for(city.resident(), "aloite", "initiative", "Ehdotan koirapuistoa Keskuspuistoon.")
    complete_on_desk(city.registry, task_for(city.registry, "register"), "registered")

    service_request.refresh_from_db()
    assert service_request.messages.get().body.startswith("Aloitteesi on kirjattu.")
    # No notice board is connected: the history says so, and the registry publishes it by hand.
    not_connected = service_request.events.get(kind="process_step_not_connected")
    assert not_connected.data == {"step": "publish_notice", "system": "notice_board", "connected": False,
                                  "kind": "initiative"}
    assert not work_list(city.registry_expert).filter(bpmn_id="answer").exists()
    complete_on_desk(city.registry, task_for(city.registry, "publish_by_hand"), "published",
                     note="Ilmoitustaululla 3.3.")
    answer = task_for(city.registry_expert, "answer")
    assert answer.team is None and answer.department.code == "kirjaamo"

    complete_on_desk(city.registry_expert, answer, "answered", note="Koirapuisto rakennetaan vuonna 2027.")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert service_request.resolution == "Koirapuisto rakennetaan vuonna 2027."
    assert _finished(service_request)


def test_message_that_is_not_an_initiative_is_handled_as_feedback(city):
    service_request = file_for(city.resident(), "aloite", "initiative", "Kiitos hyvästä palvelusta!")
    complete_on_desk(city.registry, task_for(city.registry, "register"), "not_initiative")
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED
    assert not service_request.events.filter(kind="process_step_not_connected").exists()
    assert _finished(service_request)
