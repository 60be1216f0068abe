"""Routing rules and a small classifier built on the test catalogue (tests.factories.catalogue)."""

from xml.sax.saxutils import escape

import pytest
from django.test import Client
from django.utils import translation

from aspa.identity.models import Role
from aspa.routing import operations
from aspa.routing.classifier import Example
from tests.factories.identity import UserFactory

INPUTS = ("service", "type", "channel", "language", "segments", "postal_code", "text")
OUTPUTS = {"team": "string", "department": "string", "priority": "string", "service_days": "integer",
           "first_level": "boolean"}


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read the messages in English: the pages by Accept-Language, the operations'
    errors by the active language (the site's default is Finnish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def dmn(rules: list[tuple[str, dict, dict]], *, outputs: dict | None = None, name: str = "Testisäännöt") -> bytes:
    """A DMN 1.3 file with one decision table: each rule is (description, {input: cell}, {output: cell})."""
    outputs = outputs or OUTPUTS
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="tests" name="tests" '
             'namespace="https://esimerkkila.fi/tests">',
             f'<decision id="routing" name="{escape(name)}"><decisionTable id="table" hitPolicy="FIRST">']
    for column in INPUTS:
        lines.append(f'<input id="in_{column}" label="{column}"><inputExpression id="ie_{column}" typeRef="string">'
                     f'<text>{column}</text></inputExpression></input>')
    for column, kind in outputs.items():
        lines.append(f'<output id="out_{column}" label="{column}" name="{column}" typeRef="{kind}" />')
    for number, (description, cells, decided) in enumerate(rules, start=1):
        lines.append(f'<rule id="r{number}"><description>{escape(description)}</description>')
        lines += [f'<inputEntry id="r{number}_{column}"><text>{escape(cells.get(column, "-"))}</text></inputEntry>'
                  for column in INPUTS]
        lines += [f'<outputEntry id="r{number}_o_{column}"><text>{escape(decided.get(column, ""))}</text></outputEntry>'
                  for column in outputs]
        lines.append("</rule>")
    lines.append("</decisionTable></decision></definitions>")
    return "\n".join(lines).encode()


# The permits of building control go to the permit team, urgent when the text says so; general
# advice on the phone is the centre's own.
RULES = [
    ("Kiireellinen lupa-asia", {"service": '"rakennuslupa"', "text": 'mentions(?, "kiire")'},
     {"team": '"luvat"', "priority": '"urgent"', "service_days": "2", "first_level": "False"}),
    ("Rakennusluvat lupatiimille", {"service": '"rakennuslupa"'},
     {"team": '"luvat"', "priority": '"normal"', "service_days": "15", "first_level": "False"}),
    ("Puhelinneuvonta hoitaa", {"service": '"yleisneuvonta"', "channel": '"phone"'},
     {"department": '"aspa"', "priority": '"low"', "service_days": "1", "first_level": "True"}),
]


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def publish(admin_user, catalogue):
    """publish(rules=RULES) → a published rule set."""

    def make(rules=None, **options):
        rule_set = operations.upload_rule_set(admin_user, content=dmn(rules or RULES, **options), file_name="rules.dmn")
        return operations.publish_rule_set(admin_user, rule_set)

    return make


# Synthetic messages, written for these tests: building permits against general advice.
PERMIT_TEXTS = [("Haen rakennuslupaa omakotitalon laajennukselle", "fi"), ("Tarvitseeko autotalli rakennusluvan", "fi"),
                ("Rakennuslupa saunan rakentamiseen rannalle", "fi"), ("Lupa terassin kattamiseen", "fi"),
                ("Bygglov för ett garage", "sv"), ("Building permit for an extension", "en")]
ADVICE_TEXTS = [("Milloin kaupungintalo on auki", "fi"), ("Mikä on asiakaspalvelun puhelinnumero", "fi"),
                ("Missä on lähin palvelupiste", "fi"), ("Aukioloajat juhannuksena", "fi"),
                ("Öppettider i servicepunkten", "sv"), ("Opening hours of the city hall", "en")]


def synthetic_examples() -> list[Example]:
    return ([Example(text, language, "rakennuslupa", "rakennusvalvonta", "application")
             for text, language in PERMIT_TEXTS]
            + [Example(text, language, "yleisneuvonta", "aspa", "question") for text, language in ADVICE_TEXTS])


@pytest.fixture
def trained(catalogue):
    """A classifier trained on the synthetic examples (and the test catalogue's own words)."""
    return operations.train_classifier(synthetic_examples(), source="tests", trained_by="tests")
