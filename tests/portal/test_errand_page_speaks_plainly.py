"""The errand's page explains its status in plain words and shows only what the resident may read."""

import pytest

from aspa.requests.models import Status
from tests.factories.requests import in_status
from tests.portal.factories import INTERNAL_NOTE, QUESTION


def test_received_request_says_we_have_it(world, signed_in):
    page = signed_in(world.resident).get(f"/portal/requests/{world.received.number}/").content.decode()
    assert "We have received your request" in page
    assert "Your request was filed" in page


def test_waiting_request_asks_for_information_and_shows_the_question(world, signed_in):
    page = signed_in(world.resident).get(f"/portal/requests/{world.waiting.number}/").content.decode()
    assert "We need more information from you" in page
    assert QUESTION in page
    assert "We asked you for more information" in page


def test_internal_notes_are_never_shown(world, signed_in):
    client = signed_in(world.resident)
    for path in ("/portal/", f"/portal/requests/{world.waiting.number}/"):
        page = client.get(path).content.decode()
        assert INTERNAL_NOTE not in page
        # Nor the staff's names or staff-only steps.
        assert world.advisor.last_name not in page
        assert "Message added" not in page


def test_status_is_explained_in_finnish_and_swedish(world, signed_in):
    path = f"/portal/requests/{world.waiting.number}/"
    assert "Tarvitsemme sinulta lisätietoja" in signed_in(world.resident, "fi").get(path).content.decode()
    assert "Vi behöver mer information av dig" in signed_in(world.resident, "sv").get(path).content.decode()


@pytest.mark.parametrize(("status", "headline"), [
    (Status.IN_PROGRESS, "We are handling your request"),
    (Status.FORWARDED, "Your request has been passed on to the right department"),
    (Status.REDIRECTED, "Your request is handled by another organisation"),
    (Status.RESOLVED, "Your request has been resolved"),
    (Status.CLOSED, "Your request is closed"),
])
def test_every_status_has_a_plain_explanation(world, signed_in, status, headline):
    item = in_status(status, world.advisor, party=world.party.pk)
    page = signed_in(world.resident).get(f"/portal/requests/{item.number}/").content.decode()
    assert headline in page
    if status == Status.REDIRECTED:
        assert "Ota yhteys Kelaan." in page  # the guidance where to turn instead
