"""The keyboard help lists the keys of the page it is opened on, and each listed key belongs to
an element of that page; the keys never collide with each other or with the desk-wide ones."""

import re

import pytest

from aspa.desk.forms.request_actions import DESK_ACTIONS

pytestmark = pytest.mark.django_db

DESK_WIDE = {"/", "?", "n"}


def help_keys(page: str) -> list[str]:
    listed = page.split('id="page-shortcuts"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'data-page-shortcut="([^"]+)"', listed)


def page_keys(page: str) -> list[str]:
    return re.findall(r' data-shortcut="([^"]+)"', page)


def test_every_request_action_has_its_own_key():
    keys = [entry.shortcut for entry in DESK_ACTIONS]
    assert all(keys) and len(set(keys)) == len(keys)
    assert not set(keys) & DESK_WIDE


def test_request_page_help_lists_a_key_for_each_action_offered(world, signed_in):
    page = signed_in(world.advisor).get(f"/desk/requests/{world.mine.number}/").content.decode()
    listed = help_keys(page)
    offered = re.findall(r'<details class="aspa-action" id="action-([a-z_]+)"', page)
    assert {"f", "m", "r", "a", "i", "e"} <= set(listed)
    assert len(listed) == len(offered) and sorted(listed) == sorted(page_keys(page))
    assert "Forward" in page.split('data-page-shortcut="f"', 1)[1].split("</dd>", 1)[0]


def test_a_closed_request_lists_only_what_can_still_be_done(world, signed_in):
    page = signed_in(world.advisor).get(f"/desk/requests/{world.closed.number}/").content.decode()
    assert help_keys(page) == ["m", "a", "o"]  # notes and files are always possible


def test_contact_screen_help_lists_its_fields_and_numbered_outcomes(world, signed_in):
    client = signed_in(world.advisor)
    screen = client.post("/desk/contacts/new/", {"channel": "phone"}, follow=True).content.decode()
    listed = help_keys(screen)
    assert listed == ["c", "t", "w", "1", "2", "3", "4", "s"]
    assert sorted(listed) == sorted(page_keys(screen))
    assert 'id="outcome-forwarded"' in screen.split('data-shortcut="3"', 1)[0].rsplit("<input", 1)[1]


def test_pages_without_their_own_keys_list_only_the_desk_wide_ones(world, signed_in):
    page = signed_in(world.advisor).get("/desk/").content.decode()
    assert help_keys(page) == [] and "Everywhere on the desk" in page
