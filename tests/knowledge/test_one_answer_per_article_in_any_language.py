"""An article's language versions are one answer: a question that reaches both is given the
version in its own language once, not both one after the other."""

import pytest

from aspa.knowledge import queries

pytestmark = pytest.mark.django_db


def ranked(text: str, language: str) -> list[str]:
    return [article.external_id for _hit, article in queries.search_articles(text, language=language)]


def test_a_swedish_question_matching_both_versions_gets_the_swedish_one_once(knowledge_base):
    # The Finnish words find the Finnish version and the Swedish word the Swedish one.
    found = ranked("båtplats venepaikka laituri vakuutus", "sv")
    assert found[0] == "T-BOAT-sv"
    assert "T-BOAT" not in found


def test_a_question_in_a_language_without_that_version_gets_the_original(knowledge_base):
    found = ranked("venepaikka båtplats laituri brygga", "en")
    assert found[0] == "T-BOAT"
    assert "T-BOAT-sv" not in found
