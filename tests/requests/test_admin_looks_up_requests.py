"""The admin finds a request by its number and shows its history, without letting anyone edit it there."""

from django.test import Client

from aspa.identity.models import Role
from aspa.requests.models import Status
from tests.factories.identity import UserFactory
from tests.factories.requests import in_status


def test_admin_searches_by_number_and_sees_the_history_read_only(advisor):
    service_request = in_status(Status.RESOLVED, advisor)
    other = in_status(Status.RECEIVED, advisor)
    admin_user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)

    listing = client.get("/admin/requests/servicerequest/", {"q": service_request.number})
    assert listing.status_code == 200
    assert service_request.number in listing.text and other.number not in listing.text

    page = client.get(f"/admin/requests/servicerequest/{service_request.pk}/change/")
    assert page.status_code == 200
    assert "Neuvottu puhelimessa." in page.text  # the resolution, shown in the event inline
    assert 'name="description"' not in page.text  # read-only
    assert client.get("/admin/requests/servicerequest/add/").status_code == 403
