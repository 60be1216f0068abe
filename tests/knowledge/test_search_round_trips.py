"""A search's round trips to the database: each costs milliseconds on a loaded machine, so the
candidates of every language a question is read as, the planner settings and what was learned
from use go in one message on PostgreSQL (issue 6's latency goal)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspa.knowledge import search

pytestmark = pytest.mark.django_db


def statements(text: str, language: str) -> list[str]:
    search.search(text, language=language)  # the vocabulary is loaded once per process and change
    with CaptureQueriesContext(connection) as captured:
        hits = search.search(text, language=language)
    assert hits
    return [query["sql"] for query in captured.captured_queries]


def test_a_question_answered_in_its_own_language_reads_its_candidates_and_learned_words_together(knowledge_base):
    sql = statements("venepaikka", "fi")
    candidates = [statement for statement in sql if "knowledge_searchdocument" in statement]
    assert len(candidates) == 1
    if connection.vendor == "postgresql":
        assert "knowledge_learnedterm" in candidates[0] and "set_config" in candidates[0]
        # The vocabulary's generation, then the one message.
        assert len(sql) == 2


def test_a_question_in_a_language_without_articles_reads_both_languages_candidates_at_once(knowledge_base):
    sql = statements("boat berth venepaikka båtplats", "en")
    candidates = [statement for statement in sql if "knowledge_searchdocument" in statement]
    if connection.vendor == "postgresql":
        assert len(candidates) == 1
        assert "'{fi}'" in candidates[0] and "'{sv}'" in candidates[0]
    else:
        assert len(candidates) == 2
