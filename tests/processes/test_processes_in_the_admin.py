"""The administrator uploads and downloads BPMN files, sees each version as a diagram and each
running instance with where it stands."""

import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aspa.identity.models import Role
from aspa.processes.models import ProcessDefinition, ProcessInstance
from aspa.processes.operations import BPMN_DIR
from tests.factories.identity import UserFactory
from tests.processes.conftest import complete_on_desk, file_for, task_for

BERTH = (BPMN_DIR / "venepaikkahakemus.bpmn").read_text()


def _admin_client() -> Client:
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    return client


def _berth():
    return ProcessDefinition.objects.get(code="venepaikkahakemus")


def test_upload_publishes_a_new_version(city):
    client = _admin_client()
    upload = SimpleUploadedFile("venepaikka-v2.bpmn", BERTH.replace("Päätä venepaikasta", "Päätä paikasta").encode())
    response = client.post(f"/admin/processes/processdefinition/{_berth().pk}/upload/", {"file": upload})
    assert response.status_code == 302
    assert _berth().latest_version().number == 2
    assert _berth().latest_version().file_name == "venepaikka-v2.bpmn"


def test_broken_upload_shows_the_parsers_message_next_to_the_field(city):
    client = _admin_client()
    upload = SimpleUploadedFile("broken.bpmn", BERTH.replace('targetRef="decide"', 'targetRef="nowhere"', 1).encode())
    response = client.post(f"/admin/processes/processdefinition/{_berth().pk}/upload/", {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The file was refused:" in page and 'aria-describedby="id_file_error"' in page
    assert _berth().versions.count() == 1


def test_download_returns_the_stored_file(city):
    client = _admin_client()
    version = _berth().latest_version()
    response = client.get(f"/admin/processes/processdefinition/versions/{version.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="venepaikkahakemus-v1.bpmn"'
    assert response.content.decode() == BERTH


def test_diagram_page_loads_bpmn_js_with_the_nonce_and_the_file_as_data(city):
    client = _admin_client()
    version = _berth().latest_version()
    response = client.get(f"/admin/processes/processdefinition/versions/{version.pk}/diagram/")
    assert response.status_code == 200
    page = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", page)
    assert any("bpmn-navigated-viewer" in tag and f'nonce="{nonce}"' in tag for tag in scripts)
    # Everything else the page scripts with is data, not code.
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts)
    assert "Decide on the berth" in page and "Venesatamat" in page


def test_instance_page_marks_the_task_the_process_waits_for(city):
    service_request = file_for(city.resident(), "venepaikka", "application")
    complete_on_desk(city.advisor, task_for(city.advisor, "check"), "complete")
    instance = ProcessInstance.objects.get(request=service_request)
    client = _admin_client()

    listing = client.get("/admin/processes/processinstance/").content.decode()
    assert service_request.number in listing and "Decide on the berth" in listing

    response = client.get(f"/admin/processes/processinstance/{instance.pk}/diagram/")
    assert response.status_code == 200
    active = json.loads(re.search(r'<script id="process-active" type="application/json">(.*?)</script>',
                                  response.content.decode(), re.S).group(1))
    assert "decide" in active and "check" not in active


def test_diagram_page_breadcrumbs_lead_through_the_app_like_the_rest_of_the_admin(city):
    version = _berth().versions.get()
    page = _admin_client().get(f"/admin/processes/processdefinition/versions/{version.pk}/diagram/").content.decode()
    crumbs = page[page.index('class="breadcrumbs"'):][:700]
    assert '<a href="/admin/processes/">Service processes</a>' in crumbs
    assert '<a href="/admin/processes/processdefinition/">Processes</a>' in crumbs


def test_diagram_page_says_which_steps_are_not_connected(city):
    """Invoicing is not connected to Aspa: the administrator sees it on the diagram page, with the
    step's name in the file and what it means, and is told so again when publishing such a file."""
    client = _admin_client()
    version = _berth().latest_version()
    page = client.get(f"/admin/processes/processdefinition/versions/{version.pk}/diagram/").content.decode()
    assert "Steps not connected" in page
    assert "Laskutus (ei kytketty): venepaikan vuokra" in page and "(request_invoice)" in page
    assert "no invoicing system is connected to Aspa" in page
    # The hand-work that stands in for it is an ordinary user task.
    assert "Invoice the berth rent in the finance system: invoicing is not connected to Aspa" in page

    upload = SimpleUploadedFile("venepaikka-v2.bpmn", BERTH.replace("Päätä venepaikasta", "Päätä paikasta").encode())
    response = client.post(f"/admin/processes/processdefinition/{_berth().pk}/upload/", {"file": upload}, follow=True)
    assert "no invoicing system is connected to Aspa" in response.content.decode()


def test_diagram_page_of_a_process_with_every_step_connected_lists_none(city):
    version = ProcessDefinition.objects.get(code="pysakointivirhemaksun-oikaisuvaatimus").latest_version()
    page = _admin_client().get(f"/admin/processes/processdefinition/versions/{version.pk}/diagram/").content.decode()
    assert "Steps not connected" not in page
