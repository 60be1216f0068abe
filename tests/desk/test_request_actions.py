"""Acting on a request from its desk page: each action saves through its operation, a wrong
input is shown next to its field and writes nothing, and a form based on an old version is
refused with what changed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aspa.catalogue.models import Team
from aspa.requests import operations
from aspa.requests.models import Attachment, Message, RequestEvent, ServiceRequest, Status
from tests.factories.customers import make_national_id
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory, in_status, with_email


def act(client, service_request, action, data=None, *, version=None, htmx=False, **extra):
    """Post one action's form the way the page sends it: with the version and the last event seen."""
    service_request.refresh_from_db()
    seen = service_request.events.order_by("-id").values_list("id", flat=True).first()
    values = {"version": service_request.version if version is None else version, "seen": seen, **(data or {})}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/desk/requests/{service_request.number}/actions/{action}/", values, **headers, **extra)


def events(service_request) -> list[str]:
    return list(RequestEvent.objects.filter(request=service_request).order_by("id").values_list("kind", flat=True))


def assert_saved(response, service_request, action):
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/desk/requests/{service_request.number}/?done={action}"


def assert_refused(response, status=422):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def test_internal_note_is_saved_and_not_emailed(world, signed_in, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in(world.advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, world.mine, "note", {"visibility": "internal", "body": "Soitin, ei vastannut."})
    assert_saved(response, world.mine, "note")
    message = Message.objects.get(request=world.mine)
    assert (message.visibility, message.body, message.author) == ("internal", "Soitin, ei vastannut.", world.advisor)
    assert mailoutbox == []
    page = client.get(response["Location"]).content.decode()
    assert "Done: Add a note or a message." in page
    assert "Soitin, ei vastannut." in page


def test_customer_message_is_emailed_in_the_customers_language(world, signed_in, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    customer = with_email(PersonFactory(language="sv", national_id=make_national_id()), "kund@example.fi")
    service_request = in_status(Status.IN_PROGRESS, world.advisor, party=customer.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(signed_in(world.advisor), service_request, "note",
                       {"visibility": "customer", "body": "Beslutet är klart."})
    assert_saved(response, service_request, "note")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kund@example.fi"]
    # The message waits in the e-service; the email only says so.
    assert "Beslutet är klart." not in mailoutbox[0].body
    assert f"/portal/requests/{service_request.number}/" in mailoutbox[0].body
    assert "Yleisneuvonta (sv)" in mailoutbox[0].body


def test_empty_note_is_refused_next_to_the_field(world, signed_in):
    before = events(world.mine)
    page = assert_refused(act(signed_in(world.advisor), world.mine, "note", {"visibility": "internal", "body": "  "}))
    assert 'id="id_note_body_error"' in page
    assert 'aria-describedby="id_note_body_error"' in page
    assert "This field is required." in page
    assert '<details class="aspa-action" id="action-note" data-shortcut="m" open>' in page
    assert events(world.mine) == before
    assert not Message.objects.filter(request=world.mine).exists()


def test_htmx_gets_the_refused_form_with_a_status_it_swaps(world, signed_in):
    response = act(signed_in(world.advisor), world.mine, "resolve", {"resolution": ""}, htmx=True)
    assert response.status_code == 200
    assert 'id="id_resolve_resolution_error"' in response.content.decode()
    world.mine.refresh_from_db()
    assert world.mine.status == Status.IN_PROGRESS


def test_attaching_a_file_stores_it(world, signed_in):
    upload = SimpleUploadedFile("kartta.txt", b"Kartta tontista", content_type="text/plain")
    response = act(signed_in(world.advisor), world.mine, "attach", {"file": upload})
    assert_saved(response, world.mine, "attach")
    attachment = Attachment.objects.get(request=world.mine)
    assert attachment.original_name == "kartta.txt"
    assert attachment.visible_to_customer is False  # the box was not ticked


def test_a_program_disguised_as_a_pdf_is_refused_with_the_operations_reason(world, signed_in):
    upload = SimpleUploadedFile("lomake.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    page = assert_refused(act(signed_in(world.advisor), world.mine, "attach",
                              {"file": upload, "visible_to_customer": "on"}))
    assert 'id="id_attach_file_error"' in page
    assert "This type of file is not accepted." in page
    assert not Attachment.objects.filter(request=world.mine).exists()
    assert "attachment_added" not in events(world.mine)


def test_reclassifying_changes_the_service_and_its_due_date(world, signed_in, catalogue):
    response = act(signed_in(world.advisor), world.mine, "classify", {"service": "rakennuslupa"})
    assert_saved(response, world.mine, "classify")
    world.mine.refresh_from_db()
    assert world.mine.service == catalogue.permit
    assert world.mine.department == catalogue.building


def test_product_of_another_service_is_refused_next_to_the_product(world, signed_in):
    page = assert_refused(act(signed_in(world.advisor), world.mine, "classify",
                              {"service": "yleisneuvonta", "product": "poikkeamislupa"}))
    assert 'id="id_classify_product_error"' in page
    assert "The product does not belong to the service." in page


def test_taking_a_request_makes_the_user_its_handler(world, signed_in):
    response = act(signed_in(world.colleague), world.unassigned, "take")
    assert_saved(response, world.unassigned, "take")
    world.unassigned.refresh_from_db()
    assert (world.unassigned.status, world.unassigned.assignee) == (Status.IN_PROGRESS, world.colleague)


def test_assigning_to_a_colleague_and_the_missing_choice(world, signed_in):
    client = signed_in(world.advisor)
    page = assert_refused(act(client, world.mine, "assign", {"assignee": "", "team": ""}))
    assert "Give a handler or a team." in page
    assert 'id="id_assign_assignee_error"' in page
    assert_saved(act(client, world.mine, "assign", {"assignee": str(world.colleague.pk)}), world.mine, "assign")
    world.mine.refresh_from_db()
    assert world.mine.assignee == world.colleague


def test_assign_offers_only_people_of_the_departments_concerned(world, signed_in):
    outsider = UserFactory(role="expert", department=world.building.department, first_name="Olli", last_name="Ulko")
    page = signed_in(world.advisor).get(f"/desk/requests/{world.mine.number}/").content.decode()
    assign_form = page[page.index('id="action-assign"'):page.index('id="action-classify"')]
    assert "Kalle Kollega" in assign_form
    assert "Olli Ulko" not in assign_form
    # The forward form offers everyone (but the user themselves).
    forward_form = page[page.index('id="action-forward"'):page.index('id="action-assign"')]
    assert f'value="{outsider.pk}"' in forward_form
    assert f'value="{world.advisor.pk}"' not in forward_form


def test_asking_the_customer_for_information(world, signed_in, mailoutbox, django_capture_on_commit_callbacks):
    customer = with_email(PersonFactory(language="fi"), "asiakas@example.fi")
    service_request = in_status(Status.IN_PROGRESS, world.advisor, party=customer.pk)
    client = signed_in(world.advisor)
    page = assert_refused(act(client, service_request, "request_information", {"question": ""}))
    assert 'id="id_request_information_question_error"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, service_request, "request_information", {"question": "Mikä on kiinteistötunnus?"})
    assert_saved(response, service_request, "request_information")
    service_request.refresh_from_db()
    assert service_request.status == Status.WAITING
    assert len(mailoutbox) == 1
    # Waiting: the answer can be recorded, nothing can be resolved.
    page = client.get(f"/desk/requests/{service_request.number}/").content.decode()
    assert 'id="action-provide_information"' in page
    assert 'id="action-resolve"' not in page
    assert_saved(act(client, service_request, "provide_information", {"answer": "91-1-2-3"}), service_request,
                 "provide_information")
    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS


def test_forwarding_to_an_expert_with_a_note_and_due_date(world, signed_in):
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = act(signed_in(world.advisor), world.mine, "forward",
                   {"to_user": str(world.expert.pk), "note": "Soita asiakkaalle", "due_date": due.isoformat()})
    assert_saved(response, world.mine, "forward")
    world.mine.refresh_from_db()
    assert (world.mine.status, world.mine.assignee, world.mine.due_date) == (Status.FORWARDED, world.expert, due)
    event = world.mine.events.get(kind="forward")
    assert event.data["note"] == "Soita asiakkaalle"


def test_forwarding_needs_exactly_one_target_and_a_future_date(world, signed_in):
    client = signed_in(world.advisor)
    page = assert_refused(act(client, world.mine, "forward",
                              {"to_user": str(world.expert.pk), "to_department": "rakennusvalvonta"}))
    assert "Choose exactly one: a person, a team, a department or an organisation." in page
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = assert_refused(act(client, world.mine, "forward",
                              {"to_organisation": "kela", "due_date": yesterday.isoformat()}))
    assert 'id="id_forward_due_date_error"' in page
    assert "The due date cannot be in the past." in page
    world.mine.refresh_from_db()
    assert world.mine.status == Status.IN_PROGRESS
    assert "forward" not in events(world.mine)


def test_resolving_at_first_contact_then_reopening_and_closing(world, signed_in):
    client = signed_in(world.advisor)
    assert_saved(act(client, world.mine, "resolve", {"resolution": "Neuvottu.", "first_contact": "on"}),
                 world.mine, "resolve")
    world.mine.refresh_from_db()
    assert (world.mine.status, world.mine.resolved_at_first_contact) == (Status.RESOLVED, True)
    page = assert_refused(act(client, world.mine, "reopen", {"reason": ""}))
    assert 'id="id_reopen_reason_error"' in page
    assert_saved(act(client, world.mine, "reopen", {"reason": "Asiakas soitti uudelleen."}), world.mine, "reopen")
    assert_saved(act(client, world.mine, "resolve", {"resolution": "Ratkaistu."}), world.mine, "resolve")
    assert_saved(act(client, world.mine, "close"), world.mine, "close")
    world.mine.refresh_from_db()
    assert world.mine.status == Status.CLOSED


def test_save_based_on_an_old_version_is_refused_with_what_changed(world, signed_in):
    client = signed_in(world.advisor)
    world.mine.refresh_from_db()
    seen_version = world.mine.version
    seen_event = world.mine.events.order_by("-id").first().pk
    # Meanwhile the colleague gives it to themselves.
    operations.assign(world.colleague, world.mine, version=seen_version, assignee=world.colleague.pk)
    before = events(world.mine)
    response = client.post(f"/desk/requests/{world.mine.number}/actions/resolve/",
                           {"version": seen_version, "seen": seen_event, "resolution": "Neuvottu."})
    page = assert_refused(response, 409)
    assert "Someone else changed this request while you were working on it, so nothing was saved." in page
    what_changed = page[page.index("What changed:"):page.index("Now:")]
    assert "Assigned" in what_changed
    assert "Kalle Kollega" in what_changed
    assert "Request filed" not in what_changed  # only what happened after the page was read
    # The text is kept, now on the current version, so it can be saved again.
    assert "Neuvottu." in page
    world.mine.refresh_from_db()
    assert f'name="version" value="{world.mine.version}"' in page
    assert world.mine.status == Status.IN_PROGRESS
    assert events(world.mine) == before


def test_note_on_an_old_version_is_refused_too(world, signed_in):
    old_version = world.mine.version
    operations.assign(world.colleague, world.mine, version=old_version, assignee=world.colleague.pk)
    page = assert_refused(act(signed_in(world.advisor), world.mine, "note", {"visibility": "customer",
                                                                             "body": "Asia on ratkaistu."},
                              version=old_version), 409)
    assert "nothing was saved" in page
    assert not Message.objects.filter(request=world.mine).exists()


def test_closed_request_offers_only_reopening_and_refuses_the_rest(world, signed_in):
    client = signed_in(world.advisor)
    page = client.get(f"/desk/requests/{world.closed.number}/").content.decode()
    for offered in ("reopen", "note", "attach"):
        assert f'id="action-{offered}"' in page
    for hidden in ("resolve", "forward", "take", "assign", "classify", "close", "request_information"):
        assert f'id="action-{hidden}"' not in page
    before = events(world.closed)
    page = assert_refused(act(client, world.closed, "resolve", {"resolution": "Uudelleen."}), 409)
    assert "is not possible while the request is closed" in page
    assert events(world.closed) == before


def test_an_expert_cannot_close_the_centre_follows_to_the_end(world, signed_in):
    resolved = in_status(Status.RESOLVED, world.advisor, type="application", service="rakennuslupa")
    client = signed_in(world.expert)
    page = client.get(f"/desk/requests/{resolved.number}/").content.decode()
    assert 'id="action-reopen"' in page
    assert 'id="action-close"' not in page
    assert act(client, resolved, "close").status_code == 403
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_actions_on_a_request_the_user_cannot_see_are_not_found(world, signed_in):
    response = act(signed_in(world.expert), world.unassigned, "take")
    assert response.status_code == 404
    assert ServiceRequest.objects.get(pk=world.unassigned.pk).assignee is None


@pytest.mark.parametrize("method", ["get", "put"])
def test_actions_take_only_posts(world, signed_in, method):
    client = signed_in(world.advisor)
    response = getattr(client, method)(f"/desk/requests/{world.mine.number}/actions/take/")
    assert response.status_code == 405


def test_unknown_action_is_not_found(world, signed_in):
    assert act(signed_in(world.advisor), world.mine, "explode").status_code == 404


def test_forwarding_to_a_round_robin_team_picks_its_next_member(world, signed_in, catalogue):
    catalogue.building_team.assignment = Team.Assignment.ROUND_ROBIN
    catalogue.building_team.save(update_fields=["assignment"])  # through save: the catalogue's cache hears of it
    response = act(signed_in(world.advisor), world.mine, "forward", {"to_team": catalogue.building_team.code})
    assert_saved(response, world.mine, "forward")
    world.mine.refresh_from_db()
    assert world.mine.assignee == world.expert  # the only member
    assert world.mine.events.get(kind="forward").data["assigned_automatically"] == world.expert.pk
