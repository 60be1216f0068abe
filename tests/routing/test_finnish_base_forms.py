"""Finnish words are read as Voikko's base forms where libvoikko is installed, and as Snowball stems
where it is not; a model trained with Voikko still answers on a machine without it."""

import logging

import pytest

from aspa.routing import classifier
from aspa.routing.classifier import Classifier
from tests.routing.conftest import synthetic_examples


def test_compounds_and_inflections_meet_at_their_base_forms():
    if classifier.voikko() is None:
        pytest.skip("libvoikko or its Finnish dictionary is not installed")
    classifier._finnish_tokens.cache_clear()
    [text] = classifier.stemmed([("Asukaspysäköintitunnuksen hakeminen", "fi")], lemmas=True)
    assert set(text.split()) >= {"asukaspysakointitunnus", "asukas", "tunnus", "hakea"}


def test_without_voikko_training_uses_snowball_stems(monkeypatch):
    monkeypatch.setattr(classifier, "voikko", lambda: None)
    classifier._finnish_tokens.cache_clear()
    assert classifier.stemmed([("Asukaspysäköintitunnuksen hakeminen", "fi")], lemmas=True) == \
        ["asukaspysakointitunnuks hakemin"]
    trained = Classifier.train(synthetic_examples())
    assert trained.lemmas is False
    assert trained.suggest("Haen rakennuslupaa omakotitalon laajennukselle", "fi")[0].service == "rakennuslupa"


def test_a_model_trained_with_voikko_answers_without_it(monkeypatch, caplog):
    if classifier.voikko() is None:
        pytest.skip("libvoikko or its Finnish dictionary is not installed")
    stored = Classifier.train(synthetic_examples()).dumps()
    monkeypatch.setattr(classifier, "voikko", lambda: None)
    classifier._finnish_tokens.cache_clear()
    with caplog.at_level(logging.WARNING, logger="aspa.routing.classifier"):
        loaded = Classifier.loads(stored)
    assert "retrain it" in caplog.text
    assert loaded.suggest("Haen rakennuslupaa omakotitalon laajennukselle", "fi")[0].service == "rakennuslupa"
    classifier._finnish_tokens.cache_clear()
