"""The demo city's knowledge base is written from the catalogue and is searchable at once."""

import pytest

from aspa.catalogue.operations import load_catalogue
from aspa.knowledge import demo, queries
from aspa.knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_the_demo_has_articles_for_services_and_experts_by_topic():
    load_catalogue()
    said = []
    demo.load_demo(said.append)
    demo.load_demo(said.append)  # loading twice changes nothing
    assert Article.objects.filter(external_id="DEMO-venepaikka").count() == 1
    swedish = Article.objects.get(external_id="DEMO-venepaikka-sv")
    assert swedish.translation_of.external_id == "DEMO-venepaikka"
    found = queries.search_articles("venepaikan vuokraus", language="fi", limit=3)
    assert found[0][1].external_id == "DEMO-venepaikka"
    assert queries.find_experts("kuka osaa venepaikat?")[0].department.code == "satama"
