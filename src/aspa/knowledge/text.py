"""Language analysis for the knowledge base search, done in Python so that SQLite (FTS5) and
PostgreSQL (a 'simple' tsvector) index exactly the same tokens and rank with the same quality.

A word becomes tokens in four steps:
1. lower case, then Snowball stemming (PyStemmer) of the word as written, then folding
   (ä → a, ö → o, å → a), so "päivähoidon" and "paivahoidon" meet at "paivahoid";
2. compound splitting against the vocabulary of the indexed articles: "venepaikkahakemus" gives
   "vene", "paik" and "hakemus" besides the whole word. Finnish compounds put their first parts in
   the nominative or genitive, i.e. in forms that occur as words of their own; Swedish ones may
   join the parts with an "s" (bygglovsansökan);
3. a five-letter prefix token ("5hakem") for long stems, because Snowball leaves some Finnish
   inflection apart (hakemus / hakemuksen → hakemus / hakemuks);
4. stop words (question words, pronouns, colloquial forms) are dropped.
"""

import html
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import Stemmer
from django.utils.html import strip_tags

from aspa import env

LANGUAGES = {"fi": "finnish", "sv": "swedish", "en": "english"}
NON_TOKEN = re.compile(r"[^a-z0-9]")
# The base form of each part in Voikko's WORDBASES: "+vene(vene)+paikka(paikka)".
BASE_PART = re.compile(r"\(([^()]*)\)")
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
PREFIX_LENGTH = 5
# Compound parts shorter than this are too likely to be chance letter sequences.
MIN_PART = 3
MIN_COMPOUND = 7



def _word_set(text: str) -> set[str]:
    return set(text.split())


STOP_WORDS = {
    "fi": _word_set("""
        aina ajan alla asti eli en enaa ennen ensin et ette etta ei eivat emme en ensin enta han hanen
        hanet he heidan heidat heille heilla heilta heissa hyva hyvin ihan ilman itse ja jo johon joiden
        joilla joille joita joka jokin joko joku jolla jolle jolta jona jonka jos jossa josta jota jotain
        jotka kanssa kans kaikki kautta koska kuin kuinka kuka ketka kun kyl kylla lisaa liian lla ma me
        meidan meille meilla meita mika mihin miksi milla milloin mina minne minua minulla minulle minun
        mista mita miten mitka mua mulla mulle mun muu muut mutta myos ne niin nyt oikein oisi olemme
        olen olet olette oli olin olisi olisin olit olla ollut on onko oo ovat paljon pitaa pitais pitaisi
        pitaako saa saako saanko sai se sekä sen siina silla sina sinne sinun sita siis sitten soon sulla
        sun taa tai taman tama tassa tasta te tehda teidan teille teilla tulee tuo tuon vai vaan vaikka
        voi voiko voin voinko voisi voisiko voitteko voitte voitko vois voisin yms ym jne kiitos hei moi
        terve moikka onks oisko mulle mun meil meilla meijan paljonko paljon kuinka pitaako pitaisiko
        taytyy taytyyko tarvitseeko tarviiko tarttee saisko saisinko voisko mites mihin mika mitas
        jotenkin joku jonkun mitenka kylla juu niinku siis tota noi nii
        """),
    "sv": _word_set("""
        alla allt att av blev bli blir de dem den denna deras dess det detta dig din dina ditt du efter
        eller en ett fick finns for fran ha hade han hans har hej henne hennes hon hur i icke ingen inom
        inte jag ju kan kunde man med mej men mig min mina mitt mot mycket ni nu nar nagon nagot och
        om oss pa sa sadan sig sin sina sitt ska skall skulle som till tack under upp ut var vara varit
        vad var vem vi vid vilka vilken vilket vart var ar att hur kan man maste far fa jag vi
        behover behova vill ska gar finns nagra hej mitt varfor nar
        """),
    "en": _word_set("""
        a about am an and are as at be been but by can could do does for from have hello hi how i if in
        is it me my of on or our please should so than that the their them then there they this to us
        was we what when where which who why will with would you your
        """),
}


def plain_text(body_html: str) -> str:
    """The text of sanitised HTML, with a space where a tag was so that words do not run together."""
    return html.unescape(strip_tags(body_html.replace("<", " <")))


def fold(text: str) -> str:
    """Lower case without accents: "Päivähoito" → "paivahoito"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text in lower case, hyphenated words split ("Kela-kortti" → kela, kortti)."""
    return [part for match in WORD.finditer(text.lower()) for part in re.split(r"[-'’]", match.group())
            if part]


@cache
def _stemmer(language: str):
    return Stemmer.Stemmer(LANGUAGES.get(language, "finnish"))


def stem(word: str, language: str) -> str:
    """The folded Snowball stem of one lower-case word."""
    return fold(_stemmer(language).stemWord(word))


def is_stop_word(word: str, language: str) -> bool:
    return fold(word) in STOP_WORDS.get(language, STOP_WORDS["fi"])


def prefix_token(stemmed: str) -> str | None:
    if len(stemmed) > PREFIX_LENGTH and not stemmed.isdigit():
        return f"{PREFIX_LENGTH}{stemmed[:PREFIX_LENGTH]}"
    return None


@dataclass(frozen=True)
class Token:
    """One token of a query with how much a match on it counts (1.0 for the word as typed)."""

    text: str
    weight: float
    word: str


class Splitter:
    """Splits compounds into parts that occur in the vocabulary of indexed words."""

    def __init__(self, known_words: Iterable[str]):
        self.words = {word for word in known_words if len(word) >= MIN_PART}
        self._stems: dict[str, set[str]] = {}
        self.cache: dict[tuple[str, str], list[tuple[str, float]]] = {}

    def stems(self, language: str) -> set[str]:
        """Stems of the known words, so that the last part of a compound may be inflected."""
        if language not in self._stems:
            self._stems[language] = {stem(word, language) for word in self.words}
        return self._stems[language]

    def split(self, word: str, language: str) -> list[str]:
        """The parts of a folded word (the last one as written), or [] when it is not a compound
        of known words. Fewest parts win, so "venepaikka" stays "vene" + "paikka"."""
        if len(word) < MIN_COMPOUND:
            return []
        best = self._split(word, language, depth=0)
        return best if best and len(best) > 1 else []

    def _split(self, word: str, language: str, depth: int) -> list[str] | None:
        if depth > 0 and len(word) >= MIN_PART and (word in self.words or stem(word, language) in self.stems(language)):
            return [word]
        if depth >= 3:
            return None
        best: list[str] | None = None
        # Longest first part first: "kaupungintalo" → "kaupungin" + "talo".
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if head not in self.words:
                continue
            rest = self._split(tail, language, depth + 1)
            if rest is None and language == "sv" and tail.startswith("s") and len(tail) > MIN_PART:
                rest = self._split(tail[1:], language, depth + 1)
            if rest is not None and (best is None or len(rest) + 1 < len(best)):
                best = [head, *rest]
                if len(best) == 2:
                    break
        return best


def word_tokens(word: str, language: str, splitter: Splitter | None) -> list[tuple[str, float]]:
    """The tokens of one lower-case word with their weights: the stem, its compound parts, the
    stem of the word written without ä/ö, and a prefix."""
    if splitter is None:
        return _plain_word_tokens(word, language)
    # A text repeats its words; each splitter remembers what it has split (it lives as long as
    # the vocabulary it was made from).
    key = (word, language)
    found = splitter.cache.get(key)
    if found is None:
        found = splitter.cache[key] = _word_tokens(word, language, splitter)
    return found


@cache
def _voikko():
    """libvoikko's Finnish analyser when the library and its dictionary are installed (and
    ASPA_KB_VOIKKO is not false), else None. The index must be rebuilt (`aspa kb reindex`) when
    this changes, as the tokens differ."""
    if not env.boolean("ASPA_KB_VOIKKO", True):
        return None
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception:  # the binding, its native library or the Finnish dictionary is missing
        return None


_voikko_lock = threading.Lock()


def lemma_tokens(word: str) -> list[tuple[str, float]]:
    """Voikko's base forms of a Finnish word ("haen", "hakeminen" → "hakea") and, for a compound,
    the base forms of its parts ("pankkitunnuksia" → "pankki", "tunnus"). Empty without Voikko."""
    analyser = _voikko()
    if analyser is None:
        return []
    with _voikko_lock:
        analyses = analyser.analyze(word)
    tokens: list[tuple[str, float]] = []
    for analysis in analyses[:3]:
        base = NON_TOKEN.sub("", fold(analysis.get("BASEFORM", "")))
        if base:
            tokens.append((base, 1.0))
        parts = [NON_TOKEN.sub("", fold(part)) for part in BASE_PART.findall(analysis.get("WORDBASES", ""))]
        if len(parts) > 1:
            tokens.extend((part, 0.7) for part in parts if len(part) >= MIN_PART)
    return tokens


@lru_cache(maxsize=100_000)
def _plain_word_tokens(word: str, language: str) -> list[tuple[str, float]]:
    # Without a splitter the tokens depend on the word alone: snippets ask for the same words often.
    return _word_tokens(word, language, None)


def _word_tokens(word: str, language: str, splitter: Splitter | None) -> list[tuple[str, float]]:
    tokens: list[tuple[str, float]] = []
    stemmed = stem(word, language)
    tokens.append((stemmed, 1.0))
    if language == "fi":
        tokens.extend(lemma_tokens(word))
    folded = fold(word)
    if folded != word:
        plain_stem = stem(folded, language)
        if plain_stem != stemmed:
            tokens.append((plain_stem, 1.0))
    if splitter is not None:
        for part in splitter.split(folded, language):
            if not is_stop_word(part, language):
                tokens.append((stem(part, language), 0.7))
    prefix = prefix_token(stemmed)
    if prefix:
        tokens.append((prefix, 0.35))
    return tokens


def analyse(text: str, language: str, splitter: Splitter | None = None) -> list[str]:
    """The index tokens of a text, in order, repeated as often as they occur."""
    result: list[str] = []
    for word in words(text):
        if is_stop_word(word, language):
            continue
        result.extend(token for token, _weight in word_tokens(word, language, splitter))
    return result
