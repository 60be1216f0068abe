"""GET /api/v1/knowledge/search: staff find every article, a resident only the public ones;
nobody without credentials finds anything."""

import pytest
from django.test import Client

from aspa.identity.models import Role
from aspa.knowledge.models import Expert

pytestmark = pytest.mark.django_db


def test_search_answers_ranked_results_with_snippets(knowledge_base, api):
    response = api(Role.ADVISOR).get("knowledge/search", {"q": "venepaikkahakemus", "lang": "fi", "limit": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["external_id"] == "T-BOAT"
    assert set(results[0]) == {"id", "external_id", "title", "snippet", "score"}
    assert [item["score"] for item in results] == sorted((item["score"] for item in results), reverse=True)
    assert "<mark>" in results[0]["snippet"]


def test_staff_find_internal_articles_and_residents_do_not(knowledge_base, api):
    staff = api(Role.ADVISOR).get("knowledge/search", {"q": "kassan täsmäytys"}).json()["results"]
    assert staff[0]["external_id"] == "T-CASH"
    resident = api(Role.RESIDENT)
    found = resident.get("knowledge/search", {"q": "kassan täsmäytys"}).json()["results"]
    assert "T-CASH" not in [item["external_id"] for item in found]
    internal = knowledge_base["T-CASH"].pk
    assert resident.get(f"knowledge/articles/{internal}").status_code == 404
    assert api(Role.ADVISOR).get(f"knowledge/articles/{internal}").status_code == 200


def test_without_credentials_the_search_is_refused(knowledge_base):
    assert Client().get("/api/v1/knowledge/search", {"q": "venepaikka"}).status_code == 401


def test_a_bad_limit_or_empty_question_is_refused_with_the_field_named(knowledge_base, api):
    client = api(Role.ADVISOR)
    response = client.get("knowledge/search", {"q": "vene", "limit": 500})
    assert response.status_code == 422 and "limit" in response.json()["error"]["fields"]
    assert client.get("knowledge/search", {"q": "  "}).status_code == 422


def test_the_article_lists_its_other_language_versions(knowledge_base, api):
    article = api(Role.ADVISOR).get(f"knowledge/articles/{knowledge_base['T-BOAT'].pk}").json()
    assert [item["language"] for item in article["translations"]] == ["sv"]


def test_the_expert_directory_is_searched_by_topic(api, catalogue):
    Expert.objects.create(name="Vesa Vesistö", department=catalogue.building, topics="ruoppausilmoitus, vesikasvit",
                          languages="fi, sv", duty_times="ti ja to 9–11", phone="010 555 2000")
    Expert.objects.create(name="Liisa Lupa", department=catalogue.building, topics="rakennuslupa, poikkeamislupa")
    found = api(Role.ADVISOR).get("knowledge/experts", {"q": "kuka osaa ruoppausilmoitukset?"}).json()
    assert [item["name"] for item in found] == ["Vesa Vesistö"]
    assert found[0]["duty_times"] == "ti ja to 9–11" and found[0]["languages"] == ["fi", "sv"]
    assert api(Role.RESIDENT).get("knowledge/experts", {"q": "ruoppaus"}).status_code == 403
