"""A business representative acts for an organisation they hold a valid mandate for, and for no other.

The matrix: the representative with a valid mandate; the same person once the mandate has expired,
been revoked or not yet begun; another resident; staff."""

import datetime

import pytest
from django.utils import timezone

from aspa.audit.models import AuditEntry
from aspa.errors import Forbidden
from aspa.identity.models import Role
from aspa.portal.acting import SESSION_KEY
from aspa.requests import operations
from aspa.requests.models import Status
from tests.factories.identity import UserFactory
from tests.portal.self_service_world import (
    ORGANISATION_ERRAND,
    mandate,
    organisation,
    with_organisation,
)


@pytest.fixture
def company(world):
    return with_organisation(world)


def act_for(client, party_id):
    return client.post("/portal/act-for/", {"party": party_id})


def test_a_representative_chooses_whom_to_act_for_and_sees_that_organisations_errands(world, company, signed_in):
    client = signed_in(world.resident)
    page = client.get("/portal/").content.decode()
    assert "Act for" in page and "Kahvila Kulma Oy (1572860-0)" in page and "Myself (Maija Meikäläinen)" in page
    assert world.received.number in page and company.errand.number not in page

    response = act_for(client, company.organisation.pk)
    assert response.status_code == 302
    page = client.get("/portal/").content.decode()
    assert company.errand.number in page
    assert world.received.number not in page  # the list is the organisation's now
    assert "You act for Kahvila Kulma Oy (1572860-0)." in page

    act_for(client, world.party.pk)
    page = client.get("/portal/").content.decode()
    assert world.received.number in page and company.errand.number not in page
    assert "You act for" not in page


def test_the_representative_answers_the_organisations_question(world, company, signed_in):
    client = signed_in(world.resident)
    act_for(client, company.organisation.pk)
    page = client.get(f"/portal/requests/{company.errand.number}/").content.decode()
    assert ORGANISATION_ERRAND in page and "On behalf of" in page
    response = client.post(f"/portal/requests/{company.errand.number}/answer/",
                           {"answer": "Kyltti on 2 m leveä.", "version": company.errand.version})
    assert response.status_code == 302
    company.errand.refresh_from_db()
    assert company.errand.status == Status.IN_PROGRESS


def test_a_resident_without_a_mandate_is_offered_no_choice(world, signed_in):
    page = signed_in(world.neighbour).get("/portal/").content.decode()
    assert "Act for" not in page


@pytest.mark.parametrize("state", ["expired", "revoked", "not yet valid"])
def test_a_mandate_that_is_not_valid_today_gives_no_access(world, signed_in, state):
    company = organisation()
    errand = operations.file_request(world.advisor, type="question", channel="phone", description="Yrityksen asia",
                                     service="yleisneuvonta", party=company.pk)
    given = {"expired": {"days_ago": 60, "days_left": -1}, "revoked": {"revoked": True},
             "not yet valid": {"days_ago": -3}}[state]
    mandate(world.party, company, **given)
    client = signed_in(world.resident)

    assert "Act for" not in client.get("/portal/").content.decode()
    act_for(client, company.pk)
    assert client.session.get(SESSION_KEY) is None
    assert errand.number not in client.get("/portal/").content.decode()
    assert client.get(f"/portal/requests/{errand.number}/").status_code == 404
    with pytest.raises(Forbidden):
        operations.file_request(world.resident, type="question", channel="web", description="Palaute",
                                party=company.pk)


def test_a_mandate_that_ends_while_signed_in_stops_at_the_next_click(world, company, signed_in):
    client = signed_in(world.resident)
    act_for(client, company.organisation.pk)
    assert client.get(f"/portal/requests/{company.errand.number}/").status_code == 200

    company.mandate.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    company.mandate.save(update_fields=["valid_until"])

    assert client.get(f"/portal/requests/{company.errand.number}/").status_code == 404
    page = client.get("/portal/").content.decode()
    assert world.received.number in page  # back to acting for herself
    assert company.errand.number not in page and "You act for" not in page
    response = client.post(f"/portal/requests/{company.errand.number}/messages/", {"body": "Vielä yksi asia"})
    assert response.status_code == 404


def test_another_resident_cannot_act_for_the_organisation_or_open_its_errands(world, company, signed_in):
    client = signed_in(world.neighbour)
    act_for(client, company.organisation.pk)
    assert client.session.get(SESSION_KEY) is None
    assert client.get(f"/portal/requests/{company.errand.number}/").status_code == 404
    session = client.session
    session[SESSION_KEY] = company.organisation.pk  # even a forged session changes nothing
    session.save()
    assert company.errand.number not in client.get("/portal/").content.decode()
    assert client.get(f"/portal/requests/{company.errand.number}/").status_code == 404


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN])
def test_staff_have_no_portal_to_act_in(world, company, signed_in, role):
    client = signed_in(UserFactory(role=role, department=world.advisor.department))
    assert act_for(client, company.organisation.pk).status_code == 403
    assert client.get(f"/portal/requests/{company.errand.number}/").status_code == 403


def test_the_representative_files_for_the_organisation_only_with_a_valid_mandate(world, company):
    filed = operations.file_request(world.resident, type="question", channel="web",
                                    description="Terassin lupa", party=company.organisation.pk)
    assert filed.party_id == company.organisation.pk
    other = organisation("Toinen Oy", "2345678-0")
    with pytest.raises(Forbidden):
        operations.file_request(world.resident, type="question", channel="web", description="Ei oma",
                                party=other.pk)


def test_the_city_grants_and_revokes_mandates_in_the_admin_and_each_step_is_audited(world, db, client):
    admin = UserFactory(username="paakayttaja", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    company = organisation()
    today = timezone.localdate()

    response = client.post("/admin/customers/mandate/add/", {
        "person": world.party.pk, "organisation": company.pk, "scope": "all",
        "valid_from": today.isoformat(), "valid_until": "", "note": "Kaupparekisteriote 1.11.",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    given = world.party.mandates_held.get()
    assert given.granted_by == admin
    assert AuditEntry.objects.filter(object_type="mandate", object_id=str(given.pk), action="create",
                                     party_id=world.party.pk).exists()

    client.get(f"/admin/customers/mandate/{given.pk}/change/")
    assert AuditEntry.objects.filter(object_type="mandate", object_id=str(given.pk), action="read").exists()
    assert client.get("/admin/customers/mandate/").status_code == 200
    assert AuditEntry.objects.filter(object_type="party", party_id=world.party.pk, action="read",
                                     actor=admin).exists()

    client.post("/admin/customers/mandate/", {"action": "revoke", "_selected_action": [given.pk]})
    given.refresh_from_db()
    assert given.revoked_at is not None and given.revoked_by == admin
    assert AuditEntry.objects.filter(object_type="mandate", object_id=str(given.pk), action="update").exists()


def test_the_admin_refuses_a_mandate_the_wrong_way_round(world, db, signed_in):
    admin = UserFactory(username="paakayttaja", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = signed_in(admin)
    company = organisation()
    response = client.post("/admin/customers/mandate/add/", {
        "person": company.pk, "organisation": world.party.pk, "scope": "all",
        "valid_from": "2026-01-01", "valid_until": "2025-01-01", "note": "",
    })
    page = response.content.decode()
    assert response.status_code == 200
    # Only people are offered as the holder and only organisations as the giver.
    assert page.count('class="errorlist') >= 3
    assert "The end date cannot be before the start date." in page
    assert not world.party.mandates_held.exists() and not company.mandates_held.exists()


def test_a_number_of_unicode_digits_is_simply_not_found(world, signed_in):
    assert signed_in(world.resident).get("/portal/requests/\u00b9\u00b9/").status_code == 404
