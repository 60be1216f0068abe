"""Each of the nine shipped forms loads, lists under its service, and files a request with
valid answers, under the service and type the catalogue says."""

import pytest

from aspa.eforms import queries
from aspa.eforms.models import Draft, Submission
from aspa.requests.models import ServiceRequest
from tests.factories.eforms import VALID_ANSWERS, make_resident, pdf_file, signed_in_client

SHIPPED = {
    "kuntalaispalaute": ("palaute", "feedback"),
    "kuntalaisaloite": ("aloite", "initiative"),
    "venepaikkahakemus": ("venepaikka", "application"),
    "viljelypalstahakemus": ("viljelypalsta", "application"),
    "hakkuutahdelupa": ("hakkuutahdelupa", "permit"),
    "pysakointivirhemaksun-oikaisuvaatimus": ("pysakointivirhemaksu", "appeal"),
    "liikunnan-kohdeavustushakemus": ("kohdeavustus", "application"),
    "ruoppaus-ja-niittoilmoitus": ("ruoppausilmoitus", "notification"),
    "asukaspysakointitunnus": ("asukaspysakointi", "permit"),
}
REQUIRED_FILES = {"venepaikkahakemus": {"f-insurance": pdf_file}}


def test_all_nine_forms_are_shipped_in_three_languages(city):
    assert set(city) == set(SHIPPED)
    for form in city.values():
        assert all(form.titles().values())
        assert form.allow_anonymous is (form.code == "kuntalaispalaute")


@pytest.mark.parametrize("code", list(SHIPPED))
def test_a_shipped_form_files_a_request(city, code):
    client = signed_in_client(make_resident().user)
    assert client.get(f"/forms/{code}/").status_code == 200
    files = {name: make() for name, make in REQUIRED_FILES.get(code, {}).items()}

    response = client.post(f"/forms/{code}/", {**VALID_ANSWERS[code], **files, "action": "preview"})
    assert response.status_code == 302, response.content.decode()
    assert client.get(response["Location"]).status_code == 200
    client.post(f"/forms/drafts/{Draft.objects.get().token}/submit/")

    item = ServiceRequest.objects.get()
    assert (item.service.code, item.type.code) == SHIPPED[code]
    assert Submission.objects.get().request == item
    assert city[code] in queries.forms_for_service(item.service)


def test_the_forms_index_lists_the_forms_by_service(city, client):
    page = client.get("/forms/").content.decode()
    for code in SHIPPED:
        assert f'href="/forms/{code}/"' in page
    assert 'id="service-venepaikka"' in page


def test_the_forms_index_takes_the_same_few_queries_however_many_forms_and_drafts(
        city, django_assert_max_num_queries):
    resident = make_resident()
    client = signed_in_client(resident.user)
    for code in ("kuntalaisaloite", "hakkuutahdelupa", "venepaikkahakemus"):
        client.post(f"/forms/{code}/", {"action": "save"})

    # Session, user, the acting party, the forms, the drafts: not one query per form or per draft.
    with django_assert_max_num_queries(6):
        page = client.get("/forms/").content.decode()

    assert page.count("/forms/drafts/") == 3
