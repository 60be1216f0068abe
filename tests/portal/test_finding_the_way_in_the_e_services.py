"""Finding the way: a resident who lands on a form's target by GET (the language switch or a reload
after a refused form both return to the page's own address, which then is the target) gets the
page the form is on, not a 405 error; a resident or visitor on a missing page, or on the header's
home link, is led to the e-services, not to the staff desk or the staff sign-in; the front page
shows a visitor what is open without signing in."""

import pytest
from django.test import Client

TARGETS = ["answer", "messages", "attachments", "survey"]


@pytest.mark.parametrize("target", TARGETS)
def test_a_get_on_an_errands_form_target_returns_to_the_errand(world, signed_in, target):
    resident = signed_in(world.resident)
    refused = resident.post(f"/portal/requests/{world.waiting.number}/messages/", {"body": ""})
    assert refused.status_code == 422

    # The language switch's "next" is the address of the refused form.
    response = resident.post("/i18n/setlang/", {"language": "fi",
                                                "next": f"/portal/requests/{world.waiting.number}/{target}/"},
                             follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/portal/requests/{world.waiting.number}/"
    assert world.waiting.number in response.content.decode()


def test_a_get_on_the_act_for_target_returns_to_my_errands(world, signed_in):
    response = signed_in(world.resident).get("/portal/act-for/")
    assert (response.status_code, response["Location"]) == (302, "/portal/")


def test_a_get_never_runs_the_action_and_other_methods_are_refused(world, signed_in):
    resident = signed_in(world.resident)
    before = world.waiting.messages.count()
    assert resident.get(f"/portal/requests/{world.waiting.number}/messages/?body=Hei").status_code == 302
    assert resident.put(f"/portal/requests/{world.waiting.number}/messages/").status_code == 405
    assert world.waiting.messages.count() == before


def test_a_get_on_someone_elses_errand_target_shows_nothing_of_it(world, signed_in):
    response = signed_in(world.resident).get(f"/portal/requests/{world.neighbours.number}/answer/", follow=True)
    assert response.status_code == 404
    assert "Naapurin asia" not in response.content.decode()


def test_a_resident_on_a_missing_page_is_pointed_to_the_e_services_not_the_desk(world, signed_in):
    page = signed_in(world.resident).get("/portal/requests/ESI-1999-000001/").content.decode()
    assert 'href="/portal/">Go to the e-services' in page
    assert 'href="/desk/"' not in page


@pytest.mark.parametrize("path", ["/portal/", "/portal/services/", "/portal/services/no-such-service/"])
def test_a_visitor_in_the_e_services_is_not_sent_to_the_staff_sign_in(db, catalogue, path):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(path).content.decode()
    assert 'class="aspa-header__service" href="/portal/"' in page
    assert 'href="/login/"' not in page


def test_the_staff_sign_in_still_leads_to_itself(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert 'class="aspa-header__service" href="/login/"' in page


def test_a_visitor_finds_the_public_service_finder_and_faq_from_the_front_page(db, catalogue):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/").content.decode()
    assert 'href="/portal/services/">Find a service</a>' in page
    assert 'href="/portal/faq/">Frequently asked questions</a>' in page
