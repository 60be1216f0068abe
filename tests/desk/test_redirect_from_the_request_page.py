"""Redirecting a request elsewhere from its desk page: the external organisation is picked, its
guidance shown in the reader's language, the guidance given is recorded and the customer is told
by email, in their language, that the guidance and the message wait in the e-service."""

import pytest

from aspa.requests.models import Status
from tests.desk.contact_factories import CUSTOMER_EMAIL, make_contact_world
from tests.desk.test_request_actions import act, assert_refused, assert_saved

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_world(catalogue):
    return make_contact_world(catalogue)


def test_redirect_closes_the_request_for_the_centre_and_tells_the_customer(contact_world, signed_in, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    world = contact_world.desk
    world.customer.language = "sv"
    world.customer.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = act(signed_in(world.advisor), world.mine, "redirect", {
            "organisation": "kela", "guidance": "Ohjattu Kelan palvelunumeroon.",
            "message": "Ring FPA:s servicenummer.",
        })
    assert_saved(response, world.mine, "redirect")
    world.mine.refresh_from_db()
    assert (world.mine.status, world.mine.redirected_to, world.mine.guidance) == (
        Status.REDIRECTED, contact_world.kela, "Ohjattu Kelan palvelunumeroon.")
    [email] = [email for email in mailoutbox if email.to == [CUSTOMER_EMAIL]]
    assert email.subject == f"Din serviceförfrågan {world.mine.number}"
    # An identified customer reads the message and the guidance in the e-service, not in the email.
    assert "Ring FPA:s servicenummer." not in email.body
    assert "Ohjattu Kelan palvelunumeroon." not in email.body
    assert f"/portal/requests/{world.mine.number}/" in email.body


def test_redirect_needs_an_organisation_and_the_guidance_given(world, signed_in):
    page = assert_refused(act(signed_in(world.advisor), world.mine, "redirect", {"message": "Hei"}))
    assert 'id="id_redirect_organisation_error"' in page and 'id="id_redirect_guidance_error"' in page
    world.mine.refresh_from_db()
    assert world.mine.status == Status.IN_PROGRESS


def test_a_refused_redirect_shows_the_organisations_guidance_in_the_readers_language(contact_world, signed_in):
    world = contact_world.desk
    page = assert_refused(act(signed_in(world.advisor, "sv"), world.mine, "redirect", {"organisation": "kela"}))
    guidance = page.split('id="redirect-guidance"', 1)[1].split("</div>", 1)[0]
    assert "FPA:s ärenden sköts via FPA:s servicenummer." in guidance
    assert 'href="tel:+35820692201">020 692201</a>' in guidance


def test_the_organisation_list_asks_for_its_guidance_when_picked(world, signed_in):
    page = signed_in(world.advisor).get(f"/desk/requests/{world.mine.number}/").content.decode()
    select = page.split('id="id_redirect_organisation"', 1)[0].rsplit("<select", 1)[1]
    assert 'hx-get="/desk/contacts/guidance/"' in select and 'hx-target="#redirect-guidance"' in select
    guidance = signed_in(world.advisor, "fi").get("/desk/contacts/guidance/?organisation=kela").content.decode()
    assert "Kela" in guidance


def test_a_resolved_request_offers_no_redirect(world, signed_in):
    page = signed_in(world.advisor).get(f"/desk/requests/{world.closed.number}/").content.decode()
    assert 'id="action-redirect"' not in page
