"""The satisfaction survey (seed 002 slides 81–83): the resident answers it on a resolved or
closed errand of their own, once, on a scale from 1 to 10; supervisors see the averages."""

import pytest
from django.test import Client

from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.models import Role
from aspa.reports.models import SurveyResponse
from aspa.reports.operations import answer_survey
from aspa.reports.survey import QUESTIONS, SCORE_FIELDS
from aspa.requests.models import Status
from tests.factories.identity import UserFactory
from tests.factories.requests import in_status
from tests.portal.factories import make_portal_world


@pytest.fixture
def world(catalogue):
    return make_portal_world(catalogue)


def signed_in(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def survey_url(item) -> str:
    return f"/portal/requests/{item.number}/survey/"


def test_the_model_holds_every_question_of_the_seed():
    assert len(QUESTIONS) == 14
    fields = {field.name for field in SurveyResponse._meta.get_fields()}
    assert set(SCORE_FIELDS) <= fields


def test_a_closed_errand_shows_the_questions_as_accessible_radio_groups(world):
    page = signed_in(world.resident).get(f"/portal/requests/{world.closed.number}/").content.decode()
    assert "How did we do?" in page
    assert page.count("<fieldset") == 14
    assert "<legend>Did the service meet your need?</legend>" in page
    assert page.count('type="radio"') == 140
    assert f'action="/portal/requests/{world.closed.number}/survey/"' in page


def test_an_open_errand_has_no_survey_and_refuses_answers(world):
    client = signed_in(world.resident)
    assert "How did we do?" not in client.get(f"/portal/requests/{world.received.number}/").content.decode()
    assert client.post(survey_url(world.received), {"met_need": "9"}).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_resident_answers_once_and_is_thanked(world):
    client = signed_in(world.resident, "fi")
    response = client.post(survey_url(world.closed), {"met_need": "9", "fast_enough": "4", "comment": " Kiitos! "})
    assert response.status_code == 302
    answer = SurveyResponse.objects.get(request=world.closed)
    assert (answer.met_need, answer.fast_enough, answer.knew_services) == (9, 4, None)
    assert answer.comment == "Kiitos!"
    assert answer.language == "fi"
    assert answer.respondent == world.resident
    page = client.get(f"/portal/requests/{world.closed.number}/").content.decode()
    assert "<fieldset" not in page

    again = signed_in(world.resident).post(survey_url(world.closed), {"met_need": "1"}, follow=True)
    assert "You have already answered the survey for this request." in again.content.decode()
    assert SurveyResponse.objects.get().met_need == 9


def test_a_resolved_errand_can_be_answered_too(world, catalogue):
    resolved = in_status(Status.RESOLVED, world.advisor, party=world.party.pk, description="Ratkaistu asia")
    answer = answer_survey(world.resident, resolved, {"treated_properly": 10})
    assert answer.treated_properly == 10


def test_nobody_else_may_answer(world, catalogue):
    neighbours_closed = in_status(Status.CLOSED, world.advisor, party=world.neighbour.party_id, description="Naapurin")
    # Another resident: their errand does not exist as far as this resident can tell.
    assert signed_in(world.resident).post(survey_url(neighbours_closed), {"met_need": "1"}).status_code == 404
    # Staff are not residents.
    assert signed_in(world.advisor).post(survey_url(world.closed), {"met_need": "1"}).status_code == 403
    # Anonymous visitors are asked to identify themselves.
    anonymous = Client().post(survey_url(world.closed), {"met_need": "1"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/saml/login/")
    with pytest.raises(Forbidden):
        answer_survey(world.neighbour, world.closed, {"met_need": 5})
    with pytest.raises(Forbidden):
        answer_survey(world.advisor, world.closed, {"met_need": 5})
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("given", ["0", "11", "-3", "seitsemän", "7.5"])
def test_a_score_outside_1_to_10_is_refused_next_to_its_question(world, given):
    response = signed_in(world.resident).post(survey_url(world.closed), {"met_need": given, "fast_enough": "8"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="survey_met_need-error"' in page
    assert "Choose a number from 1 to 10." in page
    assert 'value="8" checked' in page  # what was right stays chosen
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("scores", [{"met_need": 0}, {"met_need": 11}, {"met_need": True}, {"met_need": "5"},
                                    {"no_such_question": 5}, {}, {"met_need": None}])
def test_the_operation_refuses_scores_out_of_range_and_empty_answers(world, scores):
    with pytest.raises(InvalidInput):
        answer_survey(world.resident, world.closed, scores)
    assert not SurveyResponse.objects.exists()


def test_an_empty_survey_and_a_too_long_comment_are_refused(world):
    client = signed_in(world.resident)
    empty = client.post(survey_url(world.closed), {})
    assert empty.status_code == 422 and "Answer at least one question." in empty.content.decode()
    long = client.post(survey_url(world.closed), {"met_need": "5", "comment": "x" * 2001})
    assert long.status_code == 422 and 'id="survey_comment-error"' in long.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_errand_reopened_before_the_answer_is_refused(world):
    closed = world.closed
    type(closed).objects.filter(pk=closed.pk).update(status=Status.IN_PROGRESS)
    with pytest.raises(Conflict):
        answer_survey(world.resident, closed, {"met_need": 5})


def test_supervisors_see_averages_per_department_and_month(world, catalogue):
    other = in_status(Status.CLOSED, world.advisor, party=world.party.pk, description="Toinen")
    answer_survey(world.resident, world.closed, {"met_need": 9, "treated_properly": 10, "channel_easy": 6})
    answer_survey(world.resident, other, {"met_need": 7, "treated_properly": 8})
    supervisor = UserFactory(role=Role.SUPERVISOR)
    page = signed_in(supervisor).get("/desk/satisfaction/")
    assert page.status_code == 200
    text = page.content.decode()
    department = world.closed.department.name_en if world.closed.department else "No department"
    assert department in text
    row = text.split(department, 1)[1].split("</tr>", 1)[0]
    # 2 answers; all questions (9+10+6+7+8)/5 = 8.0; benefit (9+7)/2 = 8.0; channels 6.0; quality (10+8)/2 = 9.0
    assert [cell.rsplit(">", 1)[1] for cell in row.split("</td>")[:-1]] == [
        "2", "8.0", "8.0", "6.0", "9.0"]
    assert "Customer satisfaction" in signed_in(supervisor).get("/desk/").content.decode()


def test_other_staff_may_not_see_the_averages(world):
    assert signed_in(world.advisor).get("/desk/satisfaction/").status_code == 403
    assert signed_in(world.resident).get("/desk/satisfaction/").status_code == 403
