"""Carrying a question into the other languages' articles through the catalogue.

Words of one language rarely occur in another's articles. The catalogue names every service in
Finnish, Swedish and English and gives it keywords, so it is the city's own dictionary: a
question that names a service in its own language ("halkbekämpning", "street lights") is also
asked, in the other languages' articles, with that service's name there. The service is found
two ways: by the words of its names and keywords in the question's language (this module's
lexicon), or by the routing classifier when it is sure (see `search`)."""

import math
from dataclasses import dataclass

from aspa.catalogue import cache
from aspa.catalogue.models import Service
from aspa.knowledge.text import LANGUAGES, is_stop_word, word_tokens, words

# A service is named when the question matches words of it worth at least a word found in this
# many services (a word in every service's name, "palvelu", names none).
DISTINCTIVE_IN = 2


@dataclass(frozen=True)
class Lexicon:
    services: dict[int, Service]
    # language → token → the services whose name in that language (or keywords) have it.
    postings: dict[str, dict[str, set[int]]]
    # code → the active service (the routing classifier names services by code).
    by_code: dict[str, Service]


def _tokens(text: str, language: str) -> dict[str, float]:
    tokens: dict[str, float] = {}
    for word in words(text):
        if len(word) < 3 or is_stop_word(word, language):
            continue
        for token, weight in word_tokens(word, language, None):
            tokens[token] = max(weight, tokens.get(token, 0.0))
    return tokens


def lexicon() -> Lexicon:
    """The catalogue's words, kept in memory until the catalogue changes (`catalogue.cache`)."""
    return cache.kept("knowledge.bridge.lexicon", _read_lexicon)


def _read_lexicon() -> Lexicon:
    services = {service.pk: service for service in Service.objects.filter(active=True)}
    postings: dict[str, dict[str, set[int]]] = {language: {} for language in LANGUAGES}
    for service in services.values():
        for language in LANGUAGES:
            name = getattr(service, f"name_{language}", "")
            # The keywords mix the languages; a word of another language simply matches nothing.
            for token in _tokens(f"{name} {service.keywords.replace(',', ' ')}", language):
                postings[language].setdefault(token, set()).add(service.pk)
    return Lexicon(services, postings, {service.code: service for service in services.values()})


def named_service(text: str, language: str | None) -> Service | None:
    """The one service whose names or keywords the question's words match best, when they match
    a distinctive word of it; None when no service or several equally."""
    if language not in LANGUAGES:
        return None
    known = lexicon()
    count = max(len(known.services), 1)
    postings = known.postings[language]
    scores: dict[int, float] = {}
    for token, weight in _tokens(text, language).items():
        matching = postings.get(token, set())
        for service_id in matching:
            scores[service_id] = scores.get(service_id, 0.0) + weight * math.log(1 + count / len(matching))
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda pair: -pair[1])
    best_id, best = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == best:
        return None
    if best < math.log(1 + count / DISTINCTIVE_IN):
        return None
    return known.services[best_id]
