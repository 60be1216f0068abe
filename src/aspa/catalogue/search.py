"""Finding services by words a resident types, in Finnish, Swedish or English.

The catalogue holds tens to hundreds of services, so each process keeps a small index in
memory instead of asking the database to match text. Words are reduced to their Snowball
stems (PyStemmer), so "venepaikan" finds "venepaikka" and "båtplatsen" finds "båtplats", and
folded so that "paivahoito" typed on a keyboard without ä finds "päivähoito". A hit in a
service's name ranks above a hit in its keywords, which ranks above one in its description.
A word that finds nothing is taken as a typing mistake for the indexed words one or two edits
away ("rakenuslupa" finds "rakennuslupa"), and its hits count for less than an exact word's.

The index is rebuilt when the catalogue's searchable text changes: every search reads that
text (one small query) and compares its fingerprint with the one the index was built from, so
an administrator's edit is found at once by every worker process.
"""

import hashlib
import re
import threading
from dataclasses import dataclass, field

import Stemmer
from rapidfuzz.distance import DamerauLevenshtein

from aspa.catalogue.models import Service

LANGUAGES = {"fi": "finnish", "sv": "swedish", "en": "english"}
NAME, KEYWORDS, DESCRIPTION = 3.0, 2.0, 1.0
# A word that only begins (or is a part of) an indexed word counts for less than a whole one.
PREFIX, PART = 0.6, 0.4
_SHORTEST_PREFIX, _SHORTEST_PART = 3, 5
# A word taken as mistyped counts for this much of a correctly typed one. Short words get no
# correction (too many short words are one edit apart), longer ones one edit, long ones two.
TYPO = 0.5
_ONE_EDIT, _TWO_EDITS = 5, 9

_WORD = re.compile(r"\w+")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"})
# Words that say nothing about a service; a resident types them in questions ("miten haen ...").
_STOP_WORDS = {
    "fi": {"ja", "tai", "on", "ei", "se", "kun", "jos", "mitä", "miten", "missä", "mistä", "kuinka",
           "minä", "mä", "voi", "voin", "saa", "haluan", "hae", "haen", "minun", "oma", "omat"},
    "sv": {"och", "eller", "i", "på", "att", "en", "ett", "hur", "var", "jag", "vill", "kan", "för",
           "om", "av", "med", "min", "mitt", "till", "det", "den"},
    "en": {"and", "or", "the", "a", "an", "to", "of", "for", "in", "on", "how", "i", "my", "can",
           "want", "do", "is", "with", "me", "get"},
}

# PyStemmer's stemmer objects must not be shared between threads.
_local = threading.local()


def _stem(language: str, word: str) -> str:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {code: Stemmer.Stemmer(name) for code, name in LANGUAGES.items()}
    return stemmers[language].stemWord(word)


def _variants(word: str, languages: tuple[str, ...]) -> set[str]:
    """The folded stems a word may stand for: stemmed as written and as folded, in each language."""
    folded = word.translate(_FOLD)
    found = {folded}
    for language in languages:
        found.add(_stem(language, word).translate(_FOLD))
        found.add(_stem(language, folded).translate(_FOLD))
    return {variant for variant in found if variant}


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if len(word) > 1 or word.isdigit()]


@dataclass
class _Entry:
    service_id: int
    name: str  # for ties, which are listed alphabetically
    # Each field's folded stems, with the field's weight.
    fields: list[tuple[float, set[str]]] = field(default_factory=list)


@dataclass
class _Index:
    entries: list[_Entry]
    vocabulary: frozenset[str] = frozenset()  # every indexed stem: what a mistyped word is corrected to


def _build(rows: list[tuple], language: str) -> _Index:
    entries = []
    own = (language,)
    # Keywords mix Finnish, Swedish and English words, so they are stemmed in every language.
    every = tuple(LANGUAGES)
    for service_id, names, descriptions, keywords in rows:
        name = names.get(language) or names["fi"]
        description = descriptions.get(language) or descriptions["fi"]
        entry = _Entry(service_id, name.casefold())
        for weight, text, languages in ((NAME, name, own), (KEYWORDS, keywords, every),
                                        (DESCRIPTION, description, own)):
            stems = set()
            for word in _words(text):
                stems |= _variants(word, languages)
            entry.fields.append((weight, stems))
        entries.append(entry)
    vocabulary = frozenset(stem for entry in entries for _weight, stems in entry.fields for stem in stems)
    return _Index(entries, vocabulary)


_lock = threading.Lock()
_built: dict[str, tuple[str, _Index]] = {}


def _searchable_rows() -> tuple[str, list[tuple]]:
    rows = []
    digest = hashlib.sha256()
    found = (Service.objects.filter(active=True).order_by("pk")
             .values_list("pk", "name_fi", "name_sv", "name_en", "description_fi", "description_sv",
                          "description_en", "keywords"))
    for pk, name_fi, name_sv, name_en, description_fi, description_sv, description_en, keywords in found:
        names = {"fi": name_fi, "sv": name_sv, "en": name_en}
        descriptions = {"fi": description_fi, "sv": description_sv, "en": description_en}
        rows.append((pk, names, descriptions, keywords))
        digest.update(repr((pk, names, descriptions, keywords)).encode())
    return digest.hexdigest(), rows


def _index(language: str) -> _Index:
    fingerprint, rows = _searchable_rows()
    with _lock:
        built = _built.get(language)
        if built is None or built[0] != fingerprint:
            built = _built[language] = (fingerprint, _build(rows, language))
    return built[1]


def _match(query: set[str], stems: set[str]) -> float:
    """How well one typed word (its variants) matches one field's stems: 1, PREFIX, PART or 0."""
    if query & stems:
        return 1.0
    best = 0.0
    for variant in query:
        for stem in stems:
            if len(variant) >= _SHORTEST_PREFIX and stem.startswith(variant):
                return PREFIX
            # A stemmer that cut the typed word shorter than the indexed one ("båtplats"/"båtplat").
            if len(stem) >= 4 and variant.startswith(stem) and len(variant) - len(stem) <= 2:
                return PREFIX
            # One part of a compound word: "virhemaksu" in "pysäköintivirhemaksu".
            if len(variant) >= _SHORTEST_PART and variant in stem:
                best = PART
    return best


def _corrections(query: set[str], vocabulary: frozenset[str]) -> set[str]:
    """The indexed stems a mistyped word (its variants) may have been meant as."""
    found = set()
    for variant in query:
        if len(variant) < _ONE_EDIT:
            continue
        allowed = 2 if len(variant) >= _TWO_EDITS else 1
        found |= {stem for stem in vocabulary if abs(len(stem) - len(variant)) <= allowed
                  and DamerauLevenshtein.distance(variant, stem, score_cutoff=allowed) <= allowed}
    return found


def search(text: str, language: str) -> list[int]:
    """The ids of the active services the text finds, the best first.

    Services that match every typed word come first; if none does, those matching some."""
    language = language[:2] if language[:2] in LANGUAGES else "fi"
    typed = [word for word in _words(text) if word not in _STOP_WORDS[language]][:12]
    if not typed:
        return []
    index = _index(language)
    queries = [(_variants(word, (language,)), 1.0) for word in typed]
    queries = [(query, 1.0) if _found_anywhere(query, index) else (_corrections(query, index.vocabulary), TYPO)
               for query, _factor in queries]
    scored = []
    for entry in index.entries:
        matched, score = 0, 0.0
        for query, factor in queries:
            best = max((weight * _match(query, stems) for weight, stems in entry.fields), default=0.0) * factor
            matched += best > 0
            score += best
        if matched:
            scored.append((-matched, -score, entry.name, entry.service_id))
    scored.sort()
    if scored and -scored[0][0] == len(queries):
        scored = [row for row in scored if -row[0] == len(queries)]
    return [service_id for *_rank, service_id in scored]


def _found_anywhere(query: set[str], index: _Index) -> bool:
    return any(_match(query, stems) for entry in index.entries for _weight, stems in entry.fields)
