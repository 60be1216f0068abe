"""Searching the knowledge base.

The question is analysed like the articles (see `text`), widened with the administrators'
synonyms and with corrections of typos (stems one edit away that the index knows), and matched
by the database's full-text index (FTS5 on SQLite, a tsvector with GIN on PostgreSQL) to find
candidates. The candidates are ranked here, in Python, by BM25 with the title and keywords
weighted over the body, so both databases rank alike.

The confidence of a hit (`Confidence`) combines its score with the share of the question's
weight (sum of its words' inverse document frequencies) that the article matches: a question
about something the knowledge base does not cover matches only its common words, and scores low.

A question that its own language's articles do not answer confidently is also searched in the
other languages' articles. Where the routing classifier recognises the question's service and no
article on that service is written in the question's language, the service's name in the other
language joins the question there: the catalogue is the city's own dictionary between Finnish,
Swedish and English."""

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Q
from django.utils.html import escape

from aspa.catalogue.models import Service
from aspa.errors import DomainError
from aspa.knowledge import bridge, learning
from aspa.knowledge.index import FIELD_WEIGHTS, Vocabulary, vocabulary
from aspa.knowledge.models import Article
from aspa.knowledge.text import LANGUAGES, fold, is_stop_word, plain_text, stem, word_tokens, words
from aspa.routing import queries as routing_queries

logger = logging.getLogger(__name__)

CANDIDATES = 100
# A hit is confident from this confidence up (see Confidence).
CONFIDENT = 0.5
# The routing classifier names a question's service for the bridge when at least this sure.
CLASSIFIER_SURE = 0.5
TYPO_WEIGHT = 0.6
SYNONYM_WEIGHT = 0.9
# At most about this many articles are looked at to pick the candidates (see _matching).
MATCH_BUDGET = 500
# At most this many tokens are required together when the rarest alone matches too many articles.
MAX_REQUIRED = 3
# The field weights in the order _candidates returns the fields.
WEIGHTS_IN_ROW_ORDER = (FIELD_WEIGHTS["title"], FIELD_WEIGHTS["keywords"], FIELD_WEIGHTS["body"])
SAFE_TOKEN = re.compile(r"^[a-z0-9]+$")


@dataclass(frozen=True)
class Tuning:
    """The parameters that `aspa kb evaluate --folds` chooses by cross-validation; the defaults
    are the choices recorded with their evidence in docs/quality.md."""

    # BM25: how fast repeated words saturate, and how much a long article is discounted.
    k1: float = 0.9
    b: float = 0.75
    # Below this confidence of its own language's best article, a question also searches the
    # other languages' articles,
    other_languages_below: float = 0.5
    # whose scores count this much against those of the question's own language.
    other_languages_weight: float = 1.0


DEFAULT = Tuning()


@dataclass
class QueryWord:
    word: str
    tokens: dict[str, float]
    # A word the search added (a service's name from the catalogue) ranks, but the confidence
    # only counts what the person asked.
    asked: bool = True


@dataclass
class Hit:
    article_id: int
    score: float
    confidence: float
    # The share of the question's weight the article matches (see _rank).
    coverage: float = 0.0
    # The score from the words the person asked (without the names the search added).
    asked_score: float = 0.0
    # Found through the other languages' articles (the question's own did not answer it).
    crossed: bool = False
    # What was learned from use multiplies the score in the ranking (`learning`), not the confidence.
    learned: float = 1.0

    def signals(self) -> tuple[float, float, float, float]:
        """What the confidence is computed from (see `Confidence`)."""
        own = 0.0 if self.crossed else 1.0
        return (math.log1p(self.score) * own, math.log1p(self.asked_score) * (1 - own), own, self.coverage * own)


@dataclass(frozen=True)
class Confidence:
    """How sure the search is that its best hit answers the question: a logistic model over the
    hit's signals. Found in the question's own language: the score (log), the share of the
    question's weight matched; found through the other languages: the score of the words the
    person asked (the service names the search added do not count). A question of common words
    that the knowledge base does not answer still matches most of its weight, but scores low.
    Chosen and fitted by cross-validation (docs/quality.md, "Recognising a question without an
    answer"); a hit is confident at 0.5 and above."""

    weights: tuple[float, float, float, float]
    bias: float

    def of(self, hit: "Hit") -> float:
        return self.of_signals(hit.signals())

    def of_signals(self, signals: tuple[float, ...]) -> float:
        value = self.bias + sum(weight * signal for weight, signal in zip(self.weights, signals, strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, value))))


# Fitted on the development questions with the deployed ranking (`evaluation.fit_confidence`),
# the bias moved so that the threshold their balanced accuracy chose is 0.5 (docs/quality.md).
CONFIDENCE = Confidence(weights=(1.288, 1.567, -2.336, 2.025), bias=-2.725)


def _add(tokens: dict[str, float], token: str, weight: float) -> None:
    if SAFE_TOKEN.match(token) and weight > tokens.get(token, 0.0):
        tokens[token] = weight


def _typo_corrections(token: str, known: Vocabulary) -> list[str]:
    """Stems one edit (letter left out, added, changed, or two swapped) from an unknown one."""
    if len(token) < 5 or not token.isalpha():
        return []
    index = known.deletes()
    candidates: set[str] = set(index.get(token, []))
    for position in range(len(token)):
        candidates.update(index.get(token[:position] + token[position + 1:], []))
    candidates.discard(token)
    # The most common corrections first; a handful is enough.
    return sorted(candidates, key=lambda item: -known.frequencies.get(item, 0))[:3]


def analyse_query(text: str, language: str, known: Vocabulary) -> list[QueryWord]:
    folded_text = " ".join(fold(word) for word in words(text))
    groups = known.synonyms.get(language, [])
    result: list[QueryWord] = []
    for word in words(text):
        if is_stop_word(word, language):
            continue
        tokens: dict[str, float] = {}
        for token, weight in word_tokens(word, language, known.splitter):
            _add(tokens, token, weight)
        main = stem(word, language)
        if main not in known.frequencies:
            for correction in _typo_corrections(main, known):
                for token, weight in word_tokens(correction, language, known.splitter):
                    _add(tokens, token, weight * TYPO_WEIGHT)
        for group in groups:
            stems = [" ".join(stem(part, language) for part in words(member)) for member in group]
            if main in stems or any(fold(member) in folded_text and " " in member for member in group):
                for member in group:
                    for part in words(member):
                        for token, weight in word_tokens(part, language, known.splitter):
                            _add(tokens, token, weight * SYNONYM_WEIGHT)
        if tokens:
            result.append(QueryWord(word, tokens))
    return result


@dataclass
class Match:
    tokens: list[str]
    require_all: bool


def _idf(token: str, known: Vocabulary) -> float:
    frequency = known.frequencies.get(token, 0)
    return math.log(1 + (known.documents - frequency + 0.5) / (frequency + 0.5))


# With a LIMIT the planner may prefer reading the table (or the language index) in order and
# testing each row's whole vector, read out of line, to the GIN index's bitmap: far slower once
# thousands of rows match. Set for the candidate reads only (see `read_together`).
PLANNER = "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
# Ordered by the small summary vector: ranking by the whole document's vector would read it for
# every matching row.
POSTGRESQL_CANDIDATES = (
    "SELECT article_id, title_tokens, keyword_tokens, body_tokens FROM knowledge_searchdocument "
    "WHERE id IN (SELECT id FROM (SELECT id, head FROM knowledge_searchdocument "
    "WHERE search @@ to_tsquery('simple', %s) AND language = ANY(%s) AND audience = ANY(%s) LIMIT %s) "
    "AS matched ORDER BY ts_rank(head, to_tsquery('simple', %s), 1) DESC, id LIMIT %s)")


def read_together(statements: list[tuple[str, Sequence]]) -> list[list[tuple]]:
    """Each statement's rows. On PostgreSQL the statements go as one message, one round trip
    (each costs milliseconds on a loaded machine): their parameters are bound by the client,
    and the message runs as one implicit transaction, so a `set_config(…, true)` in it lasts
    until its end (in an open transaction, until that one's end)."""
    if connection.vendor != "postgresql":
        found = []
        with connection.cursor() as cursor:
            for sql, parameters in statements:
                cursor.execute(sql, parameters)
                found.append(cursor.fetchall())
        return found
    message = "; ".join(connection.ops.compose_sql(sql, parameters) for sql, parameters in statements)
    with connection.cursor() as cursor:
        cursor.execute(message)
        found = [cursor.fetchall()]
        while cursor.nextset():
            found.append(cursor.fetchall())
    return found


def _candidates(reads: list[tuple[Match, str]], audiences: list[str],
                first: tuple[str, Sequence] | None = None) -> tuple[list[list[tuple]], list[tuple]]:
    """For each (match, language), up to CANDIDATES articles of that language that have any (or
    all) of the tokens, the likeliest first; and the rows of `first`, a statement sent with them.
    The database looks at MATCH_BUDGET matching rows at most, so a question of common words costs
    no more than one of rare words."""
    before = [first] if first is not None else []
    if connection.vendor == "postgresql":
        statements = [(POSTGRESQL_CANDIDATES, [(" & " if match.require_all else " | ").join(match.tokens),
                                                [language], audiences, MATCH_BUDGET,
                                                (" & " if match.require_all else " | ").join(match.tokens),
                                                CANDIDATES])
                      for match, language in reads]
        found = read_together([*before, (PLANNER, ()), *statements])
        return found[len(before) + 1:], (found[0] if before else [])
    title, keywords, body = FIELD_WEIGHTS["title"], FIELD_WEIGHTS["keywords"], FIELD_WEIGHTS["body"]
    audience_marks = ", ".join(["%s"] * len(audiences))
    # Only placeholders and the module's own numbers are formatted into the statement.
    sql = ("SELECT d.article_id, d.title_tokens, d.keyword_tokens, d.body_tokens FROM knowledge_fts f "  # noqa: S608
           "JOIN knowledge_searchdocument d ON d.id = f.rowid WHERE knowledge_fts MATCH %s "
           f"AND d.language IN (%s) AND d.audience IN ({audience_marks}) "
           f"ORDER BY bm25(knowledge_fts, {title}, {keywords}, {body}) LIMIT %s")
    statements = [(sql, [(" AND " if match.require_all else " OR ").join(f'"{token}"' for token in match.tokens),
                         language, *audiences, CANDIDATES]) for match, language in reads]
    found = read_together([*before, *statements])
    return found[len(before):], (found[0] if before else [])


def _matching(tokens: set[str], known: Vocabulary) -> Match:
    """Which tokens find the candidates (the ranking still counts every token): the rarest ones,
    any of them, as many as keep the matching rows within MATCH_BUDGET; when even the rarest is in
    more articles than that, articles with all of the rarest few (as many as it takes to expect
    few enough rows, or all of them)."""
    ordered = sorted(tokens, key=lambda token: (known.frequencies[token], token))
    chosen: list[str] = []
    total = 0
    for token in ordered:
        if chosen and total + known.frequencies[token] > MATCH_BUDGET:
            break
        chosen.append(token)
        total += known.frequencies[token]
    if total <= MATCH_BUDGET or len(ordered) == 1:
        return Match(chosen, False)
    expected = float(known.documents)
    chosen = []
    # A token in most articles narrows little and its long posting list is costly to read.
    selective = [token for token in ordered if known.frequencies[token] <= known.documents / 2] or ordered[:1]
    for token in selective[:MAX_REQUIRED]:
        chosen.append(token)
        expected *= known.frequencies[token] / max(known.documents, 1)
        if expected <= MATCH_BUDGET and len(chosen) > 1:
            break
    return Match(chosen, len(chosen) > 1)


def _rank(query: list[QueryWord], rows: list[tuple], known: Vocabulary, tuning: Tuning) -> list[Hit]:
    idf = {token: _idf(token, known) for word in query for token in word.tokens}
    # What a word is worth: its best token, or, when the index knows none of them, as much as a rare word.
    rare = math.log(1 + (known.documents + 0.5) / 0.5)
    possible = sum(max((weight * idf[token] for token, weight in word.tokens.items()
                        if token in known.frequencies), default=rare * 0.5) for word in query if word.asked)
    wanted = set(idf).__contains__
    hits = []
    for article_id, *texts in rows:
        # Weighted term frequencies of the question's tokens only, and the weighted length.
        frequencies: Counter[str] = Counter()
        length = 0.0
        for field_weight, text in zip(WEIGHTS_IN_ROW_ORDER, texts, strict=True):
            tokens = text.split()
            length += field_weight * len(tokens)
            for token, count in Counter(filter(wanted, tokens)).items():
                frequencies[token] += field_weight * count
        k1, b = tuning.k1, tuning.b
        norm = k1 * (1 - b + b * length / known.average_length)
        score = 0.0
        asked_score = 0.0
        matched = 0.0
        for word in query:
            best = 0.0
            word_score = 0.0
            for token, weight in word.tokens.items():
                frequency = frequencies.get(token)
                if frequency:
                    word_score += weight * idf[token] * frequency * (k1 + 1) / (frequency + norm)
                    best = max(best, weight * idf[token])
            score += word_score
            if word.asked:
                matched += best
                asked_score += word_score
        coverage = matched / possible if possible else 0.0
        hits.append(Hit(article_id, score, 0.0, coverage, asked_score))
    hits.sort(key=lambda hit: (-hit.score, hit.article_id))
    return hits


@dataclass
class Read:
    """The question read as one language, ready for its candidates."""

    language: str
    query: list[QueryWord]
    match: Match


def _read_as(text: str, language: str, known: Vocabulary, added: str = "") -> Read | None:
    """The question read as `language`; `added`, words the search adds to it. None when no word
    of it is in the index."""
    query = analyse_query(text, language, known)
    if added:
        query += [QueryWord(word.word, word.tokens, asked=False) for word in analyse_query(added, language, known)]
    tokens = {token for word in query for token in word.tokens if token in known.frequencies}
    if not tokens:
        return None
    return Read(language, query, _matching(tokens, known))


class _Learned:
    """What was learned from use for the question (`learning`), read with the search's first
    candidate read rather than in a round trip of its own."""

    def __init__(self, text: str, language: str | None):
        self.text, self.language = text, language
        self.priors: dict[int, float] | None = None

    def statement(self) -> tuple[str, Sequence] | None:
        return learning.priors_statement(self.text, self.language) if self.priors is None else None

    def found(self, rows: list[tuple]) -> None:
        self.priors = learning.priors_from(rows, self.text, self.language)

    def of(self) -> dict[int, float]:
        if self.priors is None:
            self.priors = learning.priors(self.text, self.language)
        return self.priors


def _search_all(reads: list[Read], audiences: list[str], known: Vocabulary, tuning: Tuning,
                learned: _Learned) -> list[list[Hit]]:
    """Each reading's hits against its language's articles, the candidates of all read together."""
    if not reads:
        return []
    first = learned.statement()
    found, learned_rows = _candidates([(read.match, read.language) for read in reads], audiences, first)
    if first is not None:
        learned.found(learned_rows)
    # All of the rarest few matched nothing: any of the rarest, one more round trip.
    again = [position for position, (read, rows) in enumerate(zip(reads, found, strict=True))
             if not rows and read.match.require_all]
    if again:
        retried, _none = _candidates([(Match(reads[position].match.tokens[:1], False), reads[position].language)
                                      for position in again], audiences)
        for position, rows in zip(again, retried, strict=True):
            found[position] = rows
    return [_rank(read.query, rows, known, tuning) for read, rows in zip(reads, found, strict=True)]


def _bridge(text: str, language: str | None, audiences: list[str], known: Vocabulary) -> list[Service]:
    """The services a question is about, whose names carry it into the other languages' articles:
    the one whose names or keywords it uses (`bridge.named_service`), and the one the routing
    classifier is confident of when the knowledge base has no article on it in the question's
    language (a guess is not let push up another language's articles over the question's own).
    The catalogue names every service in Finnish, Swedish and English (an English question on
    boat berths also asks the Finnish articles with "Venepaikat")."""
    found = []
    named = bridge.named_service(text, language)
    if named is not None:
        found.append(named)
    service = _classified(text, language)
    # A language without any article (English) has none on the service: no query needed.
    if service is not None and service not in found and (
            not known.languages.get(language or "") or not Article.objects.filter(
                services=service, language=language, audience__in=audiences).exists()):
        found.append(service)
    return found


def _classified(text: str, language: str | None) -> Service | None:
    """The active service the routing classifier is at least CLASSIFIER_SURE of, else None: as
    `routing.queries.suggestions_to_show(limit=1)` gives it, with the active services from the
    catalogue kept in memory (`bridge.lexicon`) instead of two queries."""
    try:
        suggested = routing_queries.suggest(text, language, limit=1)
    except routing_queries.NoClassifier:
        return None
    except DomainError:
        return None
    except Exception:
        # The stored model could not be loaded or run; the search works without it.
        logger.exception("The routing classifier failed")
        return None
    if not suggested or suggested[0].score < CLASSIFIER_SURE:
        return None
    return bridge.lexicon().by_code.get(suggested[0].service)


def _names(services: list[Service], language: str) -> str:
    return " ".join(getattr(service, f"name_{language}", "") or service.name_fi for service in services)


def search(text: str, *, language: str | None = None, audiences: list[str] | None = None,
           limit: int = 10, tuning: Tuning = DEFAULT) -> list[Hit]:
    """The best articles for a question, best first: that language's articles, and when none of
    them answers it confidently (an English question, a Swedish one about a topic written only in
    Finnish), the other languages' articles too, the question read as each of those languages."""
    known = vocabulary()
    audiences = audiences or ["internal", "public"]
    learned = _Learned(text, language)
    hits: list[Hit] = []
    if language in LANGUAGES and known.languages.get(language):
        read = _read_as(text, language, known)
        hits = _search_all([read], audiences, known, tuning, learned)[0] if read is not None else []
        if hits and hits[0].coverage >= tuning.other_languages_below:
            return _judged(_learned(hits, learned)[:limit])
    seen = {hit.article_id for hit in hits}
    other_languages = [other for other in LANGUAGES if other != language and known.languages.get(other)]
    services = _bridge(text, language, audiences, known) if other_languages else []
    # A question of no known language is read as every language alike: none of them is crossed to.
    crossed = language in LANGUAGES
    reads = [read for other in other_languages
             if (read := _read_as(text, other, known, _names(services, other))) is not None]
    others = [replace(hit, score=hit.score * tuning.other_languages_weight, crossed=crossed)
              for found in _search_all(reads, audiences, known, tuning, learned)
              for hit in found if hit.article_id not in seen]
    # Scores of one question are comparable across languages: BM25 with the same field weights.
    merged = _learned(sorted(hits + others, key=lambda hit: (-hit.score, hit.article_id)), learned)
    # An article has a version in each language at most: this many hits hold `limit` articles.
    return _judged(_one_version_each(merged[:limit * len(LANGUAGES)], language, audiences)[:limit])


def _learned(hits: list[Hit], learned: _Learned) -> list[Hit]:
    """The hits reordered by what was learned from use, when anything was for this question."""
    priors = learned.of() if hits else {}
    if not priors:
        return hits
    for hit in hits:
        hit.learned = priors.get(hit.article_id, 1.0)
    return sorted(hits, key=lambda hit: (-hit.score * hit.learned, hit.article_id))


def _judged(hits: list[Hit]) -> list[Hit]:
    for hit in hits:
        hit.confidence = CONFIDENCE.of(hit)
    return hits


def _one_version_each(hits: list[Hit], language: str | None, audiences: list[str]) -> list[Hit]:
    """An article's language versions are one answer: it is listed once, at its best version's
    place, in the question's language where it has that version, else in its original language
    (the version its owners keep first). Without this a Swedish question could get the Swedish
    and the Finnish version of one article as its first two answers, pushing the next one down."""
    if len(hits) < 2:
        return hits
    parents = dict(Article.objects.filter(pk__in=[hit.article_id for hit in hits]).order_by()
                   .values_list("pk", "translation_of_id"))
    root_of = {pk: parent or pk for pk, parent in parents.items()}
    roots = set(root_of.values())
    visible = Article.objects.filter(active=True, audience__in=audiences).order_by()
    # Two lookups by index (one condition with OR makes PostgreSQL read the whole table), in one
    # round trip.
    versions: dict[int, dict[str, int]] = {}
    for rows in read_together([visible.filter(condition).values_list("pk", "translation_of_id", "language")
                               .query.sql_with_params()
                               for condition in (Q(pk__in=roots), Q(translation_of__in=roots))]):
        for pk, parent, version_language in rows:
            versions.setdefault(parent or pk, {})[version_language] = pk
    result = []
    listed: set[int] = set()
    for hit in hits:
        root = root_of.get(hit.article_id, hit.article_id)
        if root in listed:
            continue
        listed.add(root)
        group = versions.get(root, {})
        shown = group.get(language or "") or (root if root in group.values() else hit.article_id)
        result.append(replace(hit, article_id=shown))
    return result


def snippets(articles: list[Article], text: str, length: int = 220) -> dict[int, str]:
    """For each article, a passage around the question's words with them marked (safe HTML)."""
    known = vocabulary()
    wanted_by_language: dict[str, set[str]] = {}
    found = {}
    for article in articles:
        if article.language not in wanted_by_language:
            wanted_by_language[article.language] = {
                token for word in analyse_query(text, article.language, known) for token in word.tokens}
        found[article.pk] = _snippet(article, wanted_by_language[article.language], length)
    return found


def snippet(article: Article, text: str, length: int = 220) -> str:
    return snippets([article], text, length)[article.pk]


def _snippet(article: Article, wanted: set[str], length: int) -> str:
    body = plain_text(article.body)
    sentences = [part.strip() for part in re.split(r"(?<=[.!?])\s+", body) if part.strip()] or [body]

    def marks(sentence: str) -> int:
        return sum(1 for word in words(sentence)
                   if any(token in wanted for token, _weight in word_tokens(word, article.language, None)))

    best = max(sentences, key=marks)
    if len(best) > length:
        best = best[:length].rsplit(" ", 1)[0] + " …"
    pieces = []
    position = 0
    for match in re.finditer(r"[^\W_]+", best):
        pieces.append(escape(best[position:match.start()]))
        word = match.group()
        tokens = {token for token, _weight in word_tokens(word.lower(), article.language, None)}
        pieces.append(f"<mark>{escape(word)}</mark>" if tokens & wanted else escape(word))
        position = match.end()
    pieces.append(escape(best[position:]))
    return "".join(pieces)
