"""On the desk the advisor searches the knowledge base while writing, uses a model answer on the
contact (the use is recorded and shown on the contact), and says whether it helped. Owners see
the searches that found nothing or that nobody opened."""

import pytest
from django.test import Client
from django.utils import timezone

from aspa.contacts.models import Contact
from aspa.identity.models import Role
from aspa.knowledge.models import Article, ArticleUse, SearchLog
from tests.factories.identity import UserFactory
from tests.factories.requests import file

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def advisor(catalogue):
    return UserFactory(role=Role.ADVISOR, department=catalogue.centre)


@pytest.fixture
def contact(advisor, catalogue):
    return Contact.objects.create(channel=catalogue.phone, staff=advisor, started_at=timezone.now())


def test_the_panel_finds_answers_while_typing_and_logs_one_search(knowledge_base, advisor, contact):
    client = signed_in(advisor)
    for typed in ("vene", "venepai", "venepaikan"):
        page = client.get("/knowledge/panel/", {"q": typed, "contact": contact.pk})
    html = page.content.decode()
    assert "Venepaikan hakeminen" in html and "Use this answer" in html and "<mark>" in html
    assert list(SearchLog.objects.values_list("text", flat=True)) == ["venepaikan"]


def test_using_an_answer_records_it_on_the_contact_and_gives_the_answer(knowledge_base, advisor, contact):
    article = knowledge_base["T-BOAT"]
    response = signed_in(advisor).post(f"/knowledge/articles/{article.pk}/use/", {"contact": contact.pk},
                                       HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["answer"].startswith("Venepaikkaa haetaan")
    assert ArticleUse.objects.get().contact == contact
    article.refresh_from_db()
    assert article.uses == 1
    screen = signed_in(advisor).get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "Answers used" in screen and "Venepaikan hakeminen" in screen


def test_nobody_records_a_use_on_someone_elses_contact(knowledge_base, contact, catalogue):
    other = UserFactory(role=Role.ADVISOR, department=catalogue.centre)
    response = signed_in(other).post(f"/knowledge/articles/{knowledge_base['T-BOAT'].pk}/use/",
                                     {"contact": contact.pk})
    assert response.status_code == 404
    assert not ArticleUse.objects.exists()


def test_helpful_votes_count_once_per_person(knowledge_base, advisor):
    article = knowledge_base["T-BOAT"]
    client = signed_in(advisor)
    for vote in ("yes", "yes", "no"):
        client.post(f"/knowledge/articles/{article.pk}/feedback/", {"helpful": vote}, HTTP_HX_REQUEST="true")
    article.refresh_from_db()
    assert (article.helpful, article.not_helpful) == (0, 1)


def test_the_gaps_report_lists_searches_without_results_or_clicks(knowledge_base, advisor, catalogue):
    client = signed_in(advisor)
    client.get("/knowledge/", {"q": "koirapuiston aukioloajat tänään", "lang": "fi"})
    client.get("/knowledge/", {"q": "venepaikka", "lang": "fi"})
    opened = SearchLog.objects.create(text="uimahalli", language="fi", where="desk", results=1)
    client.get(f"/knowledge/articles/{knowledge_base['T-SWIM'].pk}/", {"search": opened.pk})
    assert client.get("/knowledge/gaps/").status_code == 403
    owner = UserFactory(role=Role.EXPERT, department=catalogue.building)
    page = signed_in(owner).get("/knowledge/gaps/").content.decode()
    nothing, unopened = page.split("Searches whose results nobody opened", 1)
    assert "koirapuiston aukioloajat" in nothing
    assert "venepaikka" in unopened and "uimahalli" not in unopened


def test_the_portal_faq_shows_public_articles_without_signing_in(knowledge_base):
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    page = client.get("/portal/faq/", {"q": "venepaikka"}).content.decode()
    assert "Venepaikan hakeminen" in page
    assert "Ohje: kassan" not in client.get("/portal/faq/", {"q": "kassan täsmäytys"}).content.decode()
    internal = Article.objects.get(external_id="T-CASH")
    assert client.get(f"/portal/faq/{internal.pk}/").status_code == 404
    assert client.get(f"/portal/faq/{knowledge_base['T-BOAT'].pk}/").status_code == 200


def test_an_answer_used_on_a_request_is_recorded_there_and_counted_for_owners(knowledge_base, advisor, catalogue):
    service_request = file(advisor)
    article = knowledge_base["T-WASTE"]
    response = signed_in(advisor).post(f"/knowledge/articles/{article.pk}/use/",
                                       {"request": service_request.number}, HTTP_ACCEPT="application/json")
    assert response.json()["answer"].startswith("Jäteastiat tyhjennetään")
    assert ArticleUse.objects.get().service_request == service_request
    page = signed_in(advisor).get(f"/desk/requests/{service_request.number}/").content.decode()
    assert "Answers used" in page and "Jäteastian tyhjennys" in page
    owner = UserFactory(role=Role.SUPERVISOR, department=catalogue.centre)
    report = signed_in(owner).get("/knowledge/gaps/").content.decode()
    assert "Model answers used most" in report and "Jäteastian tyhjennys" in report.split("Model answers used most")[1]
