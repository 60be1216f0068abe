"""The administrator uploads, downloads, tries and publishes rule versions in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aspa.routing.models import RuleSet
from tests.factories.identity import UserFactory
from tests.routing.conftest import RULES, dmn


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _upload(admin_client, content: bytes, comment: str = ""):
    return admin_client.post(reverse("admin:routing_ruleset_add"),
                             {"file": SimpleUploadedFile("palveluohjaus.dmn", content, "application/xml"),
                              "comment": comment})


def test_an_upload_becomes_a_new_unpublished_version(admin_client, catalogue):
    response = _upload(admin_client, dmn(RULES), comment="Lupatiimi mukaan")
    assert response.status_code == 302
    stored = RuleSet.objects.get()
    assert (stored.version, stored.file_name, stored.comment, stored.is_active) == (1, "palveluohjaus.dmn",
                                                                                    "Lupatiimi mukaan", False)


def test_a_broken_upload_shows_the_parser_message_and_stores_nothing(admin_client, catalogue):
    response = _upload(admin_client, dmn(RULES).replace(b"</definitions>", b""))
    assert response.status_code == 200
    assert "not well-formed XML" in response.content.decode()
    assert not RuleSet.objects.exists()


def test_download_gives_the_file_back(admin_client, catalogue):
    _upload(admin_client, dmn(RULES))
    stored = RuleSet.objects.get()
    response = admin_client.get(reverse("admin:routing_ruleset_download", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="palveluohjaus-v1.dmn"'
    assert response.content == dmn(RULES)


def test_publishing_from_the_version_page(admin_client, catalogue):
    _upload(admin_client, dmn(RULES))
    stored = RuleSet.objects.get()
    page = admin_client.get(reverse("admin:routing_ruleset_change", args=[stored.pk])).content.decode()
    assert "Publish version 1" in page
    response = admin_client.post(reverse("admin:routing_ruleset_publish", args=[stored.pk]), follow=True)
    assert "now routes every new and reclassified request" in response.content.decode()
    assert RuleSet.objects.get().is_active


def test_try_it_runs_a_version_against_a_sample_request(admin_client, catalogue):
    _upload(admin_client, dmn(RULES))
    stored = RuleSet.objects.get()
    url = reverse("admin:routing_ruleset_try", args=[stored.pk])
    assert admin_client.get(url).status_code == 200
    page = admin_client.post(url, {"service": "rakennuslupa", "language": "fi", "text": "Kiire, kiitos"}).content
    page = page.decode()
    assert "Rule 1 (r1) decides:" in page and "urgent" in page
    nothing = admin_client.post(url, {"service": "yleisneuvonta", "channel": "web", "language": "fi"}).content
    assert "No rule matches this request" in nothing.decode()
    assert not RuleSet.objects.get().is_active


def test_a_superuser_without_the_admin_role_may_upload(client, catalogue):
    client.force_login(UserFactory(role="resident", is_staff=True, is_superuser=True))
    assert _upload(client, dmn(RULES)).status_code == 302
    assert RuleSet.objects.get().version == 1


def test_advisors_do_not_reach_the_rules(client, catalogue):
    client.force_login(UserFactory(role="advisor"))
    response = client.get(reverse("admin:routing_ruleset_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_lists_of_versions_and_classifiers_open(admin_client, catalogue, trained):
    _upload(admin_client, dmn(RULES))
    versions = admin_client.get(reverse("admin:routing_ruleset_changelist"))
    assert versions.status_code == 200 and "Testisäännöt" in versions.content.decode()
    classifiers = admin_client.get(reverse("admin:routing_classifiermodel_changelist"))
    assert classifiers.status_code == 200 and "tests" in classifiers.content.decode()
    page = admin_client.get(reverse("admin:routing_classifiermodel_change", args=[trained.pk]))
    assert page.status_code == 200 and "catalogue_examples" in page.content.decode()
