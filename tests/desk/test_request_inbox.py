"""The back-office expert's inbox: what was forwarded to them, their team or their department,
the earliest due first; the centre sees the same history."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspa.requests import operations
from aspa.requests.models import Status
from tests.factories.identity import UserFactory
from tests.factories.requests import file, in_status


def forward(actor, service_request, **target):
    return operations.forward(actor, service_request, version=service_request.version, **target)


def numbers_in(page: str, candidates) -> list[str]:
    found = [(page.index(item.number), item.number) for item in candidates if item.number in page]
    return [number for _position, number in sorted(found)]


def test_inbox_holds_what_was_forwarded_to_the_expert_team_or_department(world, signed_in, catalogue):
    soon = timezone.localdate() + datetime.timedelta(days=2)
    later = timezone.localdate() + datetime.timedelta(days=40)  # after any working-day due date
    to_department = forward(world.advisor, file(world.advisor), to_department="rakennusvalvonta", due_date=later)
    to_team = forward(world.advisor, file(world.advisor), to_team=catalogue.building_team.code)
    to_expert = forward(world.advisor, file(world.advisor),
                        to_user=world.expert.pk, due_date=soon)
    elsewhere = forward(world.advisor, file(world.advisor), to_organisation="kela")
    resolved = in_status(Status.FORWARDED, world.advisor)
    operations.resolve(world.advisor, resolved, version=resolved.version, resolution="Valmis.")
    response = signed_in(world.expert).get("/desk/inbox/")
    assert response.status_code == 200
    page = response.content.decode()
    listed = numbers_in(page, [to_department, to_team, to_expert, elsewhere, resolved, world.building])
    # Not yet forwarded (world.building), forwarded elsewhere, or done: not in the inbox.
    assert listed[0] == to_expert.number  # due soonest
    assert listed[-1] == to_department.number
    assert set(listed) == {to_department.number, to_team.number, to_expert.number}


def test_the_centre_sees_forwarding_and_the_experts_decision_in_one_history(world, signed_in):
    forwarded = forward(world.advisor, file(world.advisor), to_user=world.expert.pk, note="Päätös tarvitaan")
    expert = signed_in(world.expert)
    expert.post(f"/desk/requests/{forwarded.number}/actions/take/", {"version": forwarded.version})
    forwarded.refresh_from_db()
    response = expert.post(f"/desk/requests/{forwarded.number}/actions/resolve/",
                           {"version": forwarded.version, "resolution": "Lupa myönnetään."})
    assert response.status_code == 302
    page = signed_in(world.advisor).get(f"/desk/requests/{forwarded.number}/").content.decode()
    history = page[page.index('<ol class="aspa-history">'):]
    assert history.index("Forwarded") < history.index("Taken for handling") < history.index("Resolved")
    assert "Aino Asiantuntija" in history


def test_inbox_of_another_department_is_empty(world, signed_in, catalogue):
    forward(world.advisor, file(world.advisor), to_department="rakennusvalvonta")
    other = UserFactory(role="expert", department=catalogue.centre)
    page = signed_in(other).get("/desk/inbox/").content.decode()
    assert "Nothing has been forwarded to you." in page


def test_inbox_query_count_does_not_grow_with_the_rows(world, signed_in, catalogue):
    client = signed_in(world.expert)
    forward(world.advisor, file(world.advisor), to_department="rakennusvalvonta")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/inbox/")
    for _extra in range(4):
        forward(world.advisor, file(world.advisor, party=world.customer.pk), to_department="rakennusvalvonta")
    with CaptureQueriesContext(connection) as many:
        client.get("/desk/inbox/")
    # One more for the audit rows of the customer's requests; none per row.
    assert len(many) <= len(few) + 1
