"""Nobody sees another's receipt or the copy of another's form (404); staff use the desk,
not the residents' forms."""

import pytest

from aspa.eforms.models import Draft, Submission
from aspa.identity.models import Role
from aspa.requests.models import ServiceRequest
from tests.factories.eforms import VALID_ANSWERS, make_resident, pdf_file, signed_in_client
from tests.factories.identity import UserFactory


@pytest.fixture
def filed(city):
    resident = make_resident()
    client = signed_in_client(resident.user)
    client.post("/forms/venepaikkahakemus/", {**VALID_ANSWERS["venepaikkahakemus"], "f-insurance": pdf_file()})
    client.post(f"/forms/drafts/{Draft.objects.get().token}/submit/")
    return client, Submission.objects.get()


def test_another_resident_gets_404_for_the_receipt_and_the_copy(filed):
    _owner, submission = filed
    number = submission.request.number
    other = signed_in_client(make_resident(username="naapuri", email="naapuri@example.fi").user)

    for path in (f"/forms/receipts/{submission.token}/", f"/forms/copies/{number}/", f"/forms/copies/{number}/pdf/"):
        response = other.get(path)
        assert response.status_code == 404, path
        assert "A12345" not in response.content.decode(errors="replace")  # none of the answers


def test_the_owner_sees_the_receipt_and_the_copy(filed):
    owner, submission = filed
    number = submission.request.number
    for path in (f"/forms/receipts/{submission.token}/", f"/forms/copies/{number}/", f"/forms/copies/{number}/pdf/"):
        assert owner.get(path).status_code == 200, path


def test_staff_are_pointed_to_the_desk(city):
    advisor = signed_in_client(UserFactory(role=Role.ADVISOR))
    response = advisor.get("/forms/venepaikkahakemus/")
    assert response.status_code == 403
    assert advisor.post("/forms/kuntalaispalaute/", VALID_ANSWERS["kuntalaispalaute"]).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_an_unknown_or_retired_form_is_not_found(city):
    client = signed_in_client(make_resident().user)
    assert client.get("/forms/no-such-form/").status_code == 404
    city["venepaikkahakemus"].active = False
    city["venepaikkahakemus"].save()
    assert client.get("/forms/venepaikkahakemus/").status_code == 404


def test_staff_reading_the_copy_is_audit_logged(filed):
    from aspa.audit.models import AuditEntry

    _owner, submission = filed
    advisor = UserFactory(role=Role.ADVISOR)
    client = signed_in_client(advisor)

    assert client.get(f"/forms/copies/{submission.request.number}/").status_code == 200

    entry = AuditEntry.objects.get(object_type="form_submission")
    assert (entry.actor, entry.party_id, entry.object_id) == (advisor, submission.request.party_id, str(submission.pk))


def test_the_henkilotunnus_is_masked_in_the_description_and_for_experts(filed):
    from stdnum.fi import hetu

    from tests.factories.eforms import NATIONAL_ID

    owner, submission = filed
    number = submission.request.number
    whole = hetu.format(NATIONAL_ID)
    assert whole not in submission.request.description
    assert whole[:7] + "****" in submission.request.description
    assert submission.answers["national_id"] == NATIONAL_ID  # kept whole in the structured answers
    assert whole in owner.get(f"/forms/copies/{number}/").content.decode()  # the resident's own copy

    expert = UserFactory(role=Role.EXPERT, department=submission.request.department)
    page = signed_in_client(expert).get(f"/forms/copies/{number}/").content.decode()
    assert whole not in page and whole[:7] + "****" in page


def test_a_resident_without_strong_identification_cannot_file(city):
    user = UserFactory(role=Role.RESIDENT, party=None)
    client = signed_in_client(user)
    assert client.get("/forms/kuntalaisaloite/").status_code == 200
    client.post("/forms/kuntalaisaloite/", VALID_ANSWERS["kuntalaisaloite"])
    response = client.post(f"/forms/drafts/{Draft.objects.get().token}/submit/", follow=True)

    assert "Sign in with strong identification" in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Submission.objects.exists()
