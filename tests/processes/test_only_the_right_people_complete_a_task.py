"""A task belongs to its lane's team or department: others cannot do it (the server refuses,
whatever the page showed), it is done once, and a choice outside the task's options is refused."""

from django.test import Client

from aspa.processes.models import ProcessTask
from aspa.processes.queries import work_list
from aspa.requests import operations as request_operations
from tests.processes.conftest import complete_on_desk, file_for, task_for


def _decision(city):
    file_for(city.resident(), "venepaikka", "application")
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    return task_for(city.marina, "decide")


def test_another_team_of_the_same_department_cannot_decide(city):
    decide = _decision(city)
    assert not work_list(city.allotments).exists()
    response = complete_on_desk(city.allotments, decide, "offer")
    assert response.status_code == 403
    assert ProcessTask.objects.get(pk=decide.pk).is_open


def test_an_advisor_of_the_centre_cannot_decide_for_the_marina(city):
    decide = _decision(city)
    assert complete_on_desk(city.advisor, decide, "offer").status_code == 403


def test_the_departments_supervisor_may_decide(city):
    decide = _decision(city)
    assert complete_on_desk(city.marina_supervisor, decide, "offer").status_code == 302


def test_resident_cannot_complete_tasks_of_their_own_request(city):
    resident = city.resident()
    file_for(resident, "venepaikka", "application")
    check = task_for(city.advisor, "check")
    assert complete_on_desk(resident, check, "complete").status_code == 403
    assert ProcessTask.objects.get(pk=check.pk).is_open


def test_unknown_choice_is_refused_next_to_the_field(city):
    decide = _decision(city)
    response = complete_on_desk(city.marina, decide, "sell_the_boat")
    assert response.status_code == 422
    page = response.content.decode()
    assert 'aria-describedby="id_task' in page and 'aria-invalid="true"' in page
    assert ProcessTask.objects.get(pk=decide.pk).is_open


def test_a_task_is_done_only_once(city):
    decide = _decision(city)
    assert complete_on_desk(city.marina, decide, "offer").status_code == 302
    # The second click (another tab) finds the task done: nothing runs twice.
    second = complete_on_desk(city.marina, decide, "reject")
    assert second.status_code == 409
    assert "This task has already been done." in second.content.decode()
    assert decide.request.events.filter(kind="process_task_completed", data__task="decide").count() == 1


def test_work_lists_show_each_person_their_own_tasks(city):
    file_for(city.resident(), "venepaikka", "application")
    file_for(city.resident(), "aloite", "initiative")
    assert [task.bpmn_id for task in work_list(city.advisor)] == ["check"]
    assert [task.bpmn_id for task in work_list(city.registry)] == ["register"]
    assert not work_list(city.marina).exists()
    # The desk's front page loads the list after the page, with a link to each request.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city.registry)
    assert 'hx-get="/desk/process-tasks/"' in client.get("/desk/").content.decode()
    fragment = client.get("/desk/process-tasks/", headers={"HX-Request": "true"}).content.decode()
    assert "Register the residents&#x27; initiative" in fragment and "<html" not in fragment
    page = client.get("/desk/process-tasks/").content.decode()
    assert "<html" in page and "Register the residents&#x27; initiative" in page


def test_request_resolved_by_hand_leaves_the_work_lists(city):
    service_request = file_for(city.resident(), "venepaikka", "application")
    request_operations.resolve(city.advisor, service_request, version=service_request.version,
                               resolution="Hakija perui hakemuksen puhelimessa.")
    assert not work_list(city.advisor).exists()


def test_a_get_on_a_tasks_form_target_returns_to_the_request_and_does_nothing(city):
    # After a refused form the page's address is the form's target; the language switch and a
    # reload GET it, and must land on the request's page, not on a 405 error.
    decide = _decision(city)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city.marina)
    target = f"/desk/requests/{decide.request.number}/process-tasks/{decide.pk}/"
    assert complete_on_desk(city.marina, decide, "").status_code == 422
    response = client.post("/i18n/setlang/", {"language": "sv", "next": target})
    assert client.get(response["Location"]).headers["Location"] == f"/desk/requests/{decide.request.number}/"
    assert client.put(target).status_code == 405
    assert ProcessTask.objects.get(pk=decide.pk).is_open


def test_the_request_page_names_the_process_in_the_page_language(city):
    # The BPMN file names the process in Finnish only ("Venepaikkahakemus"); a Swedish-speaking
    # expert's page names it by its service, in Swedish.
    decide = _decision(city)
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(city.marina)
    page = client.get(f"/desk/requests/{decide.request.number}/").content.decode()
    service = decide.request.service
    heading = page[page.index('id="process-heading"'):][:200]
    assert service.name_sv and service.name_sv in heading and "Venepaikkahakemus" not in heading
