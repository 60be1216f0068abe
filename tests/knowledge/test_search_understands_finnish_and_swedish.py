"""The search finds the article a Finnish or Swedish speaker means: inflected forms, compounds,
administrators' synonyms, text typed without ä and ö, typos; title and keywords weigh more."""

import pytest

from aspa.knowledge import operations, queries, search
from aspa.knowledge.models import Synonym
from aspa.knowledge.operations import save_article

pytestmark = pytest.mark.django_db


def ranked(text: str, language: str | None = "fi") -> list[str]:
    return [article.external_id for _hit, article in queries.search_articles(text, language=language)]


def best(text: str, language: str | None = "fi") -> str | None:
    found = ranked(text, language)
    return found[0] if found else None


@pytest.mark.parametrize("text", ["venepaikka", "venepaikan", "venepaikkaa", "venepaikoista", "venepaikalle"])
def test_inflected_forms_find_the_article(knowledge_base, text):
    assert best(text) == "T-BOAT"


@pytest.mark.parametrize("text", ["venepaikkahakemus", "venepaikkahakemuksen", "päiväkotihakemus"])
def test_compound_words_find_the_article_written_with_their_parts(knowledge_base, text):
    expected = "T-DAYCARE" if text.startswith("päivä") else "T-BOAT"
    assert best(text) == expected


def test_swedish_questions_find_the_swedish_article(knowledge_base):
    assert best("båtplatsen i småbåtshamnen", "sv") == "T-BOAT-sv"
    # A Finnish question does not get the Swedish version first.
    assert best("venepaikka", "fi") == "T-BOAT"


def test_administrators_synonyms_find_articles_that_use_the_other_word(knowledge_base):
    assert "T-PARKING" not in ranked("parkkisakko")
    operations.save_synonym(Synonym(language="fi", words="parkkisakko, pysäköintivirhemaksu"))
    assert best("parkkisakko") == "T-PARKING"
    assert best("sain parkkisakon") == "T-PARKING"
    # A Swedish synonym group does not change what a Finnish word means.
    operations.save_synonym(Synonym(language="sv", words="parkkisakko, båtplats"))
    assert best("parkkisakko") == "T-PARKING"


@pytest.mark.parametrize("text", ["paivakotipaikka", "jateastian tyhjennys", "PÄIVÄKOTIPAIKKA"])
def test_text_typed_without_a_umlaut_or_o_umlaut_finds_the_article(knowledge_base, text):
    expected = "T-WASTE" if "jate" in text else "T-DAYCARE"
    assert best(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("tyhjenys", "T-WASTE"), ("varhaiskasvatuseen", "T-DAYCARE"),
                                                ("jonotusjärjestykssä", "T-BOAT")])
def test_a_typo_still_finds_the_article(knowledge_base, text, expected):
    assert best(text) == expected


def test_a_match_in_the_title_ranks_above_a_match_in_the_body(knowledge_base):
    found = ranked("uimahalli")
    assert found.index("T-SWIM") < found.index("T-LIBRARY")


def test_a_keyword_counts_more_than_the_same_word_in_the_body(knowledge_base):
    # "varhaiskasvatus" is a keyword of the day care article and in the body of the new one.
    other = knowledge_base["T-SWIM"]
    save_article(None, other, body=other.body + " Varhaiskasvatuksen ryhmät uivat aamuisin.")
    found = ranked("varhaiskasvatus")
    assert found.index("T-DAYCARE") < found.index("T-SWIM")


def test_a_question_the_knowledge_base_does_not_cover_gets_no_confident_hit(knowledge_base):
    hits = search.search("miten rekisteröin koiran koirarekisteriin", language="fi")
    assert not hits or hits[0].confidence < search.CONFIDENT
    hits = search.search("venepaikan hakeminen", language="fi")
    assert hits[0].confidence >= search.CONFIDENT


def test_an_edited_article_is_found_by_its_new_words_and_not_its_old(knowledge_base):
    article = knowledge_base["T-SWIM"]
    save_article(None, article, title="Maauimalan aukioloajat", body="Maauimala on auki kesällä.")
    assert best("maauimala") == "T-SWIM"
    assert "T-SWIM" not in ranked("uimahalli")
    article.refresh_from_db()
    assert article.version == 2
    assert article.versions.get().title == "Uimahallin aukioloajat"


def test_the_snippet_marks_the_words_of_the_question(knowledge_base):
    snippet = search.snippet(knowledge_base["T-WASTE"], "ylimääräinen tyhjennys")
    assert "<mark>tyhjennys</mark>" in snippet and "<mark>Ylimääräinen</mark>" in snippet


def test_a_question_in_a_language_without_an_answer_gets_the_other_languages_articles(knowledge_base):
    # No Swedish article is about the day care; the Finnish one is found for a Swedish-speaking advisor
    # who types the Finnish word.
    assert best("päiväkotipaikka", "sv") == "T-DAYCARE"
    # A Swedish question that the Swedish article answers gets it, not the Finnish one.
    assert best("båtplats", "sv") == "T-BOAT-sv"
