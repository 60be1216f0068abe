"""Other systems read the forms in use, a version's questions and a request's structured
answers; residents and the anonymous get nothing, experts see the henkilötunnus masked."""

from stdnum.fi import hetu

from aspa.audit.models import AuditEntry
from aspa.eforms.models import Draft
from aspa.identity.models import Role
from aspa.identity.operations import create_token
from aspa.requests.models import ServiceRequest
from tests.conftest import ApiClient
from tests.factories.eforms import (
    NATIONAL_ID,
    VALID_ANSWERS,
    make_resident,
    pdf_file,
    signed_in_client,
)
from tests.factories.identity import UserFactory


def api_as(role, **extra) -> ApiClient:
    user = UserFactory(role=role, **extra)
    _token, key = create_token(role=role, name=f"test-{user.username}", user=user)
    return ApiClient(user, key)


def file_boat_application() -> ServiceRequest:
    client = signed_in_client(make_resident().user)
    client.post("/forms/venepaikkahakemus/", {**VALID_ANSWERS["venepaikkahakemus"], "f-insurance": pdf_file()})
    client.post(f"/forms/drafts/{Draft.objects.get().token}/submit/")
    return ServiceRequest.objects.get()


def test_the_forms_and_their_questions_are_listed(city):
    client = api_as(Role.INTEGRATION)

    forms = {form["code"]: form for form in client.get("forms").json()}

    assert len(forms) == 9
    assert forms["kuntalaispalaute"]["allow_anonymous"] is True
    assert forms["venepaikkahakemus"]["service"] == "venepaikka"
    version = client.get("forms/venepaikkahakemus/versions/1").json()
    assert version["questions"]["sections"][0]["name"] == "applicant"
    assert client.get("forms/venepaikkahakemus/versions/9").status_code == 404


def test_the_answers_of_a_request_are_read_and_the_read_is_logged(city):
    item = file_boat_application()
    client = api_as(Role.ADVISOR)

    answers = client.get(f"forms/submissions/{item.number}").json()

    assert answers["form"] == "venepaikkahakemus" and answers["version"] == 1
    assert answers["answers"]["registration"] == "A12345"
    assert answers["answers"]["national_id"] == NATIONAL_ID
    assert AuditEntry.objects.filter(object_type="form_submission", actor=client.user).count() == 1


def test_an_expert_sees_the_henkilotunnus_masked(city):
    item = file_boat_application()
    expert = api_as(Role.EXPERT, department=item.department)
    answers = expert.get(f"forms/submissions/{item.number}").json()["answers"]
    assert answers["national_id"] == NATIONAL_ID[:7] + "****"
    assert hetu.format(NATIONAL_ID) not in str(answers)


def test_residents_and_other_departments_get_nothing(city):
    item = file_boat_application()
    resident = ApiClient(item.created_by, None)
    resident.client.force_login(item.created_by)
    assert resident.get("forms").status_code in (401, 403)
    other_department = api_as(Role.EXPERT, department=None)
    assert other_department.get(f"forms/submissions/{item.number}").status_code == 404
