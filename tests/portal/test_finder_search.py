"""Searching the services: stems in the reader's language, ä and ö typed as a and o, names
ranked above descriptions, and the index follows the administrator's changes."""

import pytest
from django.test import Client

from aspa.catalogue.models import Service
from aspa.catalogue.operations import load_catalogue
from aspa.catalogue.queries import finder_search


@pytest.fixture
def demo_catalogue(db):
    load_catalogue()


def codes(text: str, language: str) -> list[str]:
    return [service.code for service in finder_search(text, language)]


@pytest.mark.parametrize(("language", "typed", "expected"), [
    ("fi", "venepaikan", "venepaikka"),               # genitive of venepaikka
    ("fi", "paivahoitoon", "paivahoitohakemus"),       # illative, typed without ä
    ("fi", "KIRJASTOKORTIN", "kirjastokortti"),
    ("fi", "virhemaksu", "pysakointivirhemaksu"),      # a part of a compound word
    ("sv", "båtplatsen", "venepaikka"),
    ("sv", "bibliotekskortet", "kirjastokortti"),
    ("en", "parking fines", "pysakointivirhemaksu"),
    ("en", "boats", "venepaikka"),
])
def test_inflected_and_folded_words_find_the_service(demo_catalogue, language, typed, expected):
    assert codes(typed, language)[0] == expected


def test_every_word_must_match_when_some_service_matches_them_all(demo_catalogue):
    assert codes("uimakoulu vauva", "fi") == ["uimakoulu"]


def test_a_name_hit_ranks_above_a_description_hit(catalogue):
    Service.objects.filter(pk=catalogue.permit.pk).update(description_fi="Neuvomme myös saunan rakentamisessa.")
    Service.objects.filter(pk=catalogue.advice.pk).update(name_fi="Saunavuorot", description_fi="")
    assert codes("sauna", "fi") == [catalogue.advice.code, catalogue.permit.code]


def test_the_index_follows_changes_to_the_catalogue(catalogue):
    assert codes("kivikasvit", "fi") == []
    Service.objects.filter(pk=catalogue.permit.pk).update(keywords="kivikasvit, kivikko")
    assert codes("kivikasvit", "fi") == [catalogue.permit.code]
    Service.objects.filter(pk=catalogue.permit.pk).update(active=False)
    assert codes("kivikasvit", "fi") == []


def test_words_that_say_nothing_find_nothing(demo_catalogue):
    assert codes("ja tai", "fi") == []
    assert codes("", "sv") == []


def test_the_results_page_shows_the_hits_in_the_readers_language(demo_catalogue):
    page = Client(HTTP_ACCEPT_LANGUAGE="sv").get("/portal/services/search/", {"q": "båtplats"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ansökan om och hyra av båtplats" in text
    assert 'value="båtplats"' in text
    nothing = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/services/search/", {"q": "zzzqqq"}).content.decode()
    assert "No services found for “zzzqqq”" in nothing


@pytest.mark.parametrize(("language", "typed", "expected"), [
    ("fi", "rakenuslupa", "rakennuslupa-neuvonta"),   # a letter left out
    ("fi", "veneapaikka", "venepaikka"),              # a letter too many
    ("fi", "kirjastkortti", "kirjastokortti"),
    ("sv", "båtplast", "venepaikka"),                  # two letters swapped
    ("en", "libary card", "kirjastokortti"),
])
def test_a_typing_mistake_still_finds_the_service(demo_catalogue, language, typed, expected):
    assert codes(typed, language)[0] == expected


def test_a_word_nothing_resembles_finds_nothing_and_a_partly_mistyped_search_keeps_its_best(demo_catalogue):
    # No service is about dogs ("koira"), and no indexed word is an edit away: no wild guesses.
    assert codes("koira", "fi") == []
    assert codes("kela", "fi") == []  # four letters: too short to be corrected at all
    assert codes("xyzzyx", "fi") == []
    # One word right and one mistyped: the service that has both still comes first.
    assert codes("venepaikka vuokrau", "fi")[0] == "venepaikka"
