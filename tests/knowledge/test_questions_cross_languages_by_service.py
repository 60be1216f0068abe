"""A question in a language the knowledge base has no article on its service in reaches the
other languages' articles through the service: the routing classifier recognises the service
from the question, and the catalogue's name for it in the other language joins the question."""

import json

import pytest

from aspa.knowledge import operations as knowledge
from aspa.knowledge import queries
from aspa.routing import operations as routing
from aspa.routing.classifier import Example

pytestmark = pytest.mark.django_db

# Written for these tests: a Finnish article on building permits, and the general advice in
# Finnish and English.
ARTICLES = [
    {"id": "T-PERMIT", "lang": "fi", "service": "rakennuslupa", "title": "Rakennuslupa omakotitalon laajennukseen",
     "body": "Laajennus tarvitsee luvan, kun kerrosala kasvaa. Hakemus jätetään sähköisesti piirustusten kanssa.",
     "keywords": ["lupa", "laajennus"], "audience": "public"},
    {"id": "T-HOURS", "lang": "fi", "service": "yleisneuvonta", "title": "Kaupungintalon aukioloajat",
     "body": "Kaupungintalo on auki arkisin kello 8–16.", "keywords": ["aukiolo"], "audience": "public"},
    {"id": "T-HOURS-en", "lang": "en", "service": "yleisneuvonta", "title": "Opening hours of the city hall",
     "body": "The city hall is open on weekdays from 8 to 16.", "keywords": ["opening hours"], "audience": "public"},
]
PERMIT = ["Haen rakennuslupaa autotallille", "Tarvitseeko sauna rakennusluvan", "Rakennuslupa terassille",
          "Bygglov för en bastu", "Building permit for a garage", "Do I need a permit to build a shed"]
ADVICE = ["Milloin palvelupiste on auki", "Mikä on asiakaspalvelun puhelinnumero", "Öppettider i servicepunkten",
          "When is the service point open", "Where is the nearest service point", "Phone number of the city"]
QUESTION = "Do I need a building permit for the extension of my house?"


def ranked(text: str, language: str) -> list[str]:
    return [article.external_id for _hit, article in queries.search_articles(text, language=language)]


@pytest.fixture
def articles(catalogue):
    knowledge.import_articles([json.dumps(article, ensure_ascii=False) for article in ARTICLES])


def train():
    examples = ([Example(text, "fi", "rakennuslupa", "rakennusvalvonta") for text in PERMIT]
                + [Example(text, "fi", "yleisneuvonta", "aspa") for text in ADVICE])
    routing.train_classifier(examples, source="tests", trained_by="tests")


def test_an_english_question_finds_the_finnish_article_of_its_service(articles):
    # Without a classifier the English words find nothing in the Finnish article.
    assert "T-PERMIT" not in ranked(QUESTION, "en")[:1]
    train()
    assert ranked(QUESTION, "en")[:1] == ["T-PERMIT"]


def test_a_question_answered_in_its_own_language_keeps_its_own_article_first(articles):
    train()
    assert ranked("When is the city hall open?", "en")[:1] == ["T-HOURS-en"]
    assert ranked("rakennuslupa laajennukseen", "fi")[:1] == ["T-PERMIT"]


def test_a_question_naming_a_service_reaches_its_article_in_another_language_without_a_classifier(catalogue):
    from aspa.catalogue.models import Service

    Service.objects.create(code="katujen-kunnossapito", department=catalogue.building,
                           name_fi="Katujen kunnossapito (liukkaudentorjunta, auraus)",
                           name_sv="Gatuunderhåll (halkbekämpning, snöröjning)",
                           name_en="Street maintenance (gritting, snow clearing)", keywords="hiekoitus, sandning")
    knowledge.import_articles([json.dumps(article, ensure_ascii=False) for article in ARTICLES + [
        {"id": "T-GRIT", "lang": "fi", "title": "Liukkaudentorjunta jalkakäytävillä",
         "body": "Jalkakäytävät hiekoitetaan aamuisin. Hiekoitushiekkaa saa maksutta varikolta.",
         "audience": "public"},
        {"id": "T-BOAT-sv", "lang": "sv", "title": "Ansöka om båtplats", "body": "Båtplatser söks med en blankett.",
         "audience": "public"}]])
    # No Swedish article is on street maintenance, and no word of the question is in the Finnish
    # one: the catalogue's Finnish name for the service the question names carries it there.
    assert ranked("Vem sköter halkbekämpningen på trottoaren?", "sv")[:1] == ["T-GRIT"]
    assert ranked("Who does the gritting of the pavements?", "en")[:1] == ["T-GRIT"]
