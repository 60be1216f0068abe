"""The resident sees their own contacts with the centre in plain words, with the request each led
to, and never the staff's notes nor anyone else's contacts."""

import datetime

from django.utils import timezone

from aspa.contacts.models import Outcome
from aspa.identity.models import Role
from tests.factories.contacts import ContactFactory
from tests.factories.identity import UserFactory
from tests.portal.self_service_world import with_organisation

STAFF_NOTE = "Asiakas oli kiihtynyt, puhui naapuristaan."


def contact(party, *, days_ago: int, outcome=Outcome.ANSWERED, requests=(), topics=(), channel=None):
    made = ContactFactory(party=party, outcome=outcome, notes=STAFF_NOTE,
                          started_at=timezone.now() - datetime.timedelta(days=days_ago),
                          **({"channel": channel} if channel else {}))
    made.requests.set(requests)
    made.topics.set(topics)
    return made


def test_the_resident_sees_their_contacts_newest_first_without_staff_notes(world, catalogue, signed_in):
    service = world.received.service
    contact(world.party, days_ago=5, outcome=Outcome.ANSWERED, topics=[service])
    contact(world.party, days_ago=1, outcome=Outcome.REQUEST_FILED, requests=[world.received],
            channel=catalogue.service_point)
    contact(world.neighbour.party, days_ago=2, outcome=Outcome.NO_ANSWER)

    page = signed_in(world.resident).get("/portal/contacts/").content.decode()
    assert STAFF_NOTE not in page
    assert "We could not reach you" not in page  # the neighbour's
    assert page.index("A service request was filed") < page.index("Answered there and then")
    assert f'href="/portal/requests/{world.received.number}/"' in page
    assert "service_point (en)" in page and service.name_en in page


def test_a_request_that_is_not_the_residents_is_not_linked(world, signed_in):
    contact(world.party, days_ago=1, requests=[world.neighbours])
    page = signed_in(world.resident).get("/portal/contacts/").content.decode()
    assert world.neighbours.number not in page


def test_the_organisations_contacts_are_seen_when_acting_for_it(world, signed_in):
    company = with_organisation(world)
    contact(company.organisation, days_ago=1, outcome=Outcome.FORWARDED)
    client = signed_in(world.resident)
    assert "Passed on to the department responsible" not in client.get("/portal/contacts/").content.decode()
    client.post("/portal/act-for/", {"party": company.organisation.pk})
    assert "Passed on to the department responsible" in client.get("/portal/contacts/").content.decode()


def test_staff_get_no_portal_contact_history(world, signed_in):
    assert signed_in(UserFactory(role=Role.SUPERVISOR)).get("/portal/contacts/").status_code == 403
