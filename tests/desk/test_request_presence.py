"""The request page tells who else has the same request open, from the page's heartbeat."""

import datetime

from aspa.requests.models import RequestViewer


def heartbeat(client, service_request):
    return client.post(f"/desk/requests/{service_request.number}/presence/")


def test_page_says_who_else_has_the_request_open(world, signed_in):
    assert heartbeat(signed_in(world.advisor), world.mine).status_code == 200
    colleague = signed_in(world.colleague)
    page = colleague.get(f"/desk/requests/{world.mine.number}/").content.decode()
    assert "Also open now by: Nea Neuvoja" in page
    # The heartbeat answers the same, and notes the colleague in turn.
    assert "Nea Neuvoja" in heartbeat(colleague, world.mine).content.decode()
    own = heartbeat(signed_in(world.advisor), world.mine).content.decode()
    assert "Kalle Kollega" in own
    assert "Nea Neuvoja" not in own


def test_nobody_else_means_no_notice(world, signed_in):
    client = signed_in(world.advisor)
    heartbeat(client, world.mine)
    assert "Also open now by" not in client.get(f"/desk/requests/{world.mine.number}/").content.decode()
    # Another request's viewers are not this one's.
    heartbeat(signed_in(world.colleague), world.team)
    assert "Also open now by" not in client.get(f"/desk/requests/{world.mine.number}/").content.decode()


def test_a_page_closed_two_minutes_ago_is_no_longer_shown(world, signed_in):
    heartbeat(signed_in(world.advisor), world.mine)
    row = RequestViewer.objects.get(user=world.advisor, request=world.mine)
    RequestViewer.objects.filter(pk=row.pk).update(last_seen=row.last_seen - datetime.timedelta(minutes=2, seconds=1))
    page = signed_in(world.colleague).get(f"/desk/requests/{world.mine.number}/").content.decode()
    assert "Also open now by" not in page


def test_heartbeats_keep_one_row_per_person(world, signed_in):
    client = signed_in(world.advisor)
    for _beat in range(3):
        heartbeat(client, world.mine)
    assert RequestViewer.objects.filter(request=world.mine).count() == 1


def test_heartbeat_needs_a_post_and_a_visible_request(world, signed_in):
    assert signed_in(world.advisor).get(f"/desk/requests/{world.mine.number}/presence/").status_code == 405
    assert heartbeat(signed_in(world.expert), world.mine).status_code == 404
    assert not RequestViewer.objects.filter(user=world.expert).exists()
    assert heartbeat(signed_in(world.resident), world.mine).status_code == 403
