"""An administrator edits an article in the admin: the old text is kept as a version, and the
search finds the new words at once."""

import pytest
from django.test import Client

from aspa.identity.models import Role
from aspa.knowledge import queries
from aspa.knowledge.models import Synonym
from tests.factories.identity import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    return client


def test_editing_an_article_keeps_a_version_and_reindexes_it(knowledge_base, admin_client):
    article = knowledge_base["T-SWIM"]
    response = admin_client.post(f"/admin/knowledge/article/{article.pk}/change/", {
        "external_id": article.external_id, "language": "fi", "title": "Maauimalan aukioloajat",
        "body": "<p>Maauimala on auki kesällä.</p>", "model_answer": "", "keywords": "uinti",
        "audience": "public", "review_by": "", "active": "on",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert (article.title, article.version) == ("Maauimalan aukioloajat", 2)
    assert article.versions.get().title == "Uimahallin aukioloajat"
    assert queries.search_articles("maauimala", language="fi")[0][1] == article


def test_a_synonym_added_in_the_admin_works_at_once(knowledge_base, admin_client):
    assert "T-PARKING" not in [article.external_id for _hit, article in queries.search_articles("parkkisakko")]
    response = admin_client.post("/admin/knowledge/synonym/add/",
                                 {"language": "fi", "words": "parkkisakko, pysäköintivirhemaksu"})
    assert response.status_code == 302
    assert Synonym.objects.count() == 1
    assert queries.search_articles("parkkisakko")[0][1].external_id == "T-PARKING"
