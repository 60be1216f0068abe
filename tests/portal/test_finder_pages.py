"""The service finder: a resident without signing in browses the city's services by topic and
by life situation and reads a service's page, in Finnish, Swedish and English."""

import pytest
from django.test import Client

from aspa.catalogue.models import LifeSituation, Service, ServiceCategory
from aspa.catalogue.operations import load_catalogue

SEED_TOPICS = ["Asuminen ja vapaa-aika", "Kaavat ja kiinteistöt", "Kirjastot ja arkistot", "Koulutus ja opiskelu",
               "Kulttuuri ja museot", "Liikenne ja kadut", "Liikunta ja vapaa-aika", "Perhe- ja sosiaalipalvelut"]


@pytest.fixture
def demo_catalogue(db):
    load_catalogue()


def visitor(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def test_every_demo_service_can_be_found_by_browsing(demo_catalogue):
    assert list(ServiceCategory.objects.values_list("name_fi", flat=True))[:8] == SEED_TOPICS
    assert not Service.objects.filter(categories=None).exists()
    assert Service.objects.count() == 49
    assert LifeSituation.objects.filter(code__in=["muutto", "vauva", "yrityksen-perustaminen", "talon-rakentaminen",
                                                  "veneily", "elakkeelle"]).count() == 6
    for situation in LifeSituation.objects.all():
        assert situation.services.exists(), situation.code


@pytest.mark.parametrize(("language", "topic", "situation"), [
    ("fi", "Liikenne ja kadut", "Veneily ja ranta"),
    ("sv", "Trafik och gator", "Båtliv och strand"),
    ("en", "Traffic and streets", "Boating and the shore"),
])
def test_the_finder_home_lists_topics_and_life_situations_without_signing_in(demo_catalogue, language, topic, situation):
    page = visitor(language).get("/portal/services/")
    assert page.status_code == 200
    text = page.content.decode()
    assert topic in text and situation in text
    assert 'name="q"' in text


def test_a_topic_page_lists_its_services_and_nothing_else(demo_catalogue):
    page = visitor("en").get("/portal/services/topics/liikenne-ja-kadut/")
    text = page.content.decode()
    assert 'href="/portal/services/pysakointivirhemaksu/"' in text
    assert 'href="/portal/services/kaukolaina/"' not in text


def test_a_life_situation_page_gathers_services_from_several_departments(demo_catalogue):
    text = visitor("fi").get("/portal/services/life-situations/talon-rakentaminen/").content.decode()
    assert "Talon rakentaminen tai remontti" in text
    for code in ("rakennuslupa-neuvonta", "tonttikartta", "jatevesi-haja-asutus"):
        assert f'href="/portal/services/{code}/"' in text


def test_a_service_page_tells_what_who_how_long_and_how_to_contact(demo_catalogue):
    text = visitor("en").get("/portal/services/venepaikka/").content.decode()
    assert "Applying for and renting a boat berth" in text
    assert "Apply for a jetty or buoy berth" in text  # the description
    assert Service.objects.get(code="venepaikka").department.name_en in text
    assert "20 working days" in text
    assert "Phone service" in text and "Service point (visit)" in text
    assert "180.00 €" in text


def test_a_service_page_links_the_forms_that_file_under_it(demo_catalogue, monkeypatch):
    import aspa.eforms.queries

    # The forms app's own tests cover which forms are active; here only the link on the page matters.
    berth = Service.objects.get(code="venepaikka")
    monkeypatch.setattr(aspa.eforms.queries, "forms_for_service", lambda service: (
        [_Form("Venepaikkahakemus", "/forms/venepaikkahakemus/")] if service == berth else []))
    text = visitor("fi").get("/portal/services/venepaikka/").content.decode()
    assert '<a class="hds-link" href="/forms/venepaikkahakemus/">Venepaikkahakemus</a>' in text
    assert "Venepaikkahakemus" not in visitor("fi").get("/portal/services/kaukolaina/").content.decode()


class _Form:
    def __init__(self, title, url):
        self.title, self.url = title, url

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url


def test_retired_and_unknown_entries_are_not_found(demo_catalogue):
    Service.objects.filter(code="kalastuslupa").update(active=False)
    ServiceCategory.objects.filter(code="kulttuuri-ja-museot").update(active=False)
    client = visitor("fi")
    assert client.get("/portal/services/kalastuslupa/").status_code == 404
    assert client.get("/portal/services/ei-ole/").status_code == 404
    assert client.get("/portal/services/topics/kulttuuri-ja-museot/").status_code == 404
    assert client.get("/portal/services/life-situations/ei-ole/").status_code == 404
    assert 'href="/portal/services/kalastuslupa/"' not in client.get("/portal/services/life-situations/veneily/").content.decode()
    assert "Kulttuuri ja museot" not in client.get("/portal/services/").content.decode()


def test_a_signed_in_resident_sees_the_finder_in_the_portal_navigation(demo_catalogue):
    from aspa.identity.models import Role
    from tests.factories.identity import UserFactory

    client = visitor("en")
    client.force_login(UserFactory(role=Role.RESIDENT))
    text = client.get("/portal/services/").content.decode()
    assert '<a href="/portal/services/" aria-current="page">Services</a>' in text


def test_the_shipped_boat_berth_form_is_offered_on_its_service_page(demo_catalogue):
    from aspa.eforms.loading import load_directory

    load_directory()
    text = visitor("sv").get("/portal/services/venepaikka/").content.decode()
    assert 'href="/forms/venepaikkahakemus/"' in text


@pytest.mark.parametrize(("path", "most"), [
    ("/portal/services/", 2),                                 # the topics and the life situations, with counts
    ("/portal/services/topics/asuminen-ja-vapaa-aika/", 2),   # the topic and its 14 services
    ("/portal/services/life-situations/muutto/", 2),
    ("/portal/services/search/?q=kortti", 2),                 # the index's fingerprint and the hits
    ("/portal/services/venepaikka/", 7),                      # the service, its 4 lists, the forms app's (1–2)
])
def test_finder_pages_ask_the_database_a_fixed_number_of_times(demo_catalogue, django_assert_max_num_queries,
                                                              path, most):
    client = visitor("fi")
    client.get(path)  # the search index is built on the first search
    with django_assert_max_num_queries(most):
        assert client.get(path).status_code == 200
