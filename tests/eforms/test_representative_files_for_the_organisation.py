"""A business representative who acts for an organisation (a valid mandate, chosen in the
portal) files the sports grant application for it: prefilled with the organisation's name and
Y-tunnus, and the request is the organisation's."""

import datetime

from aspa.customers.models import Mandate
from aspa.eforms.models import Draft
from aspa.requests.models import ServiceRequest
from tests.factories.customers import OrganisationFactory
from tests.factories.eforms import VALID_ANSWERS, make_resident, signed_in_client


def test_a_representative_files_for_their_club(city):
    resident = make_resident()
    club = OrganisationFactory(name="Esimerkkilän Urheilijat ry")
    Mandate.objects.create(person=resident.party, organisation=club, valid_from=datetime.date(2020, 1, 1))
    client = signed_in_client(resident.user)
    assert client.post("/portal/act-for/", {"party": club.pk}).status_code == 302

    page = client.get("/forms/liikunnan-kohdeavustushakemus/").content.decode()
    assert 'value="Esimerkkilän Urheilijat ry"' in page
    assert f'value="{club.business_id}"' in page
    assert 'value="Maija Meikäläinen"' in page  # the contact person is the representative

    answers = {**VALID_ANSWERS["liikunnan-kohdeavustushakemus"], "f-business_id": club.business_id}
    client.post("/forms/liikunnan-kohdeavustushakemus/", answers)
    client.post(f"/forms/drafts/{Draft.objects.get().token}/submit/")

    assert ServiceRequest.objects.get().party == club
