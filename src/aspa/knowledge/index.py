"""Keeping the search index of the knowledge base: analysed tokens per article, the vocabulary
(words for compound splitting and typo correction, tokens with their document counts for BM25).

Each process keeps the vocabulary in memory and reloads it when `IndexState.generation` moves."""

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from aspa.knowledge.models import Article, IndexState, SearchDocument, Synonym, Term
from aspa.knowledge.text import (
    Splitter,
    analyse,
    fold,
    is_stop_word,
    plain_text,
    stem,
    word_tokens,
    words,
)

WORD, TOKEN, LANGUAGE = "w", "t", "l"
# How much a token in the title or the keywords counts against one in the body.
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "body": 1.0}
MAX_TERM = 100
SUMMARY_WORDS = 15


@dataclass
class Vocabulary:
    generation: int
    documents: int
    average_length: float
    words: set[str]
    frequencies: dict[str, int]
    # How many articles each language has.
    languages: dict[str, int]
    # The administrators' synonym groups by language.
    synonyms: dict[str, list[list[str]]]
    splitter: Splitter
    _deletes: dict[str, list[str]] | None = field(default=None, repr=False)

    def deletes(self) -> dict[str, list[str]]:
        """Every stem with one letter removed → the stems: finds words one edit away (SymSpell)."""
        if self._deletes is None:
            index: dict[str, list[str]] = {}
            for token in self.frequencies:
                if len(token) >= 4 and token.isalpha():
                    index.setdefault(token, []).append(token)
                    for position in range(len(token)):
                        index.setdefault(token[:position] + token[position + 1:], []).append(token)
            self._deletes = index
        return self._deletes


_cache: dict[str, Vocabulary] = {}
_lock = threading.Lock()


def _state() -> IndexState:
    state = IndexState.objects.order_by("pk").first()
    return state if state is not None else IndexState.objects.create()


def vocabulary() -> Vocabulary:
    """The current vocabulary, reloaded only when another process or call changed it."""
    state = IndexState.objects.order_by("pk").values("generation", "documents", "total_length").first() \
        or {"generation": 0, "documents": 0, "total_length": 0}
    cached = _cache.get("current")
    if cached is not None and cached.generation == state["generation"]:
        return cached
    with _lock:
        known_words = set(Term.objects.filter(kind=WORD).values_list("text", flat=True))
        frequencies = dict(Term.objects.filter(kind=TOKEN, documents__gt=0).values_list("text", "documents"))
        documents = state["documents"]
        loaded = Vocabulary(
            generation=state["generation"], documents=documents,
            average_length=(state["total_length"] / documents) if documents else 1.0,
            words=known_words, frequencies=frequencies,
            languages=dict(Term.objects.filter(kind=LANGUAGE, documents__gt=0).values_list("text", "documents")),
            synonyms=_synonyms(),
            splitter=Splitter(known_words),
        )
        _cache["current"] = loaded
        return loaded


def _synonyms() -> dict[str, list[list[str]]]:
    groups: dict[str, list[list[str]]] = {}
    for synonym in Synonym.objects.order_by("pk"):
        groups.setdefault(synonym.language, []).append(synonym.word_list)
    return groups


def vocabulary_changed() -> None:
    """Make every process reload the vocabulary (after the synonyms changed)."""
    IndexState.objects.filter(pk=_state().pk).update(generation=F("generation") + 1)
    _cache.pop("current", None)


def _texts(article: Article) -> dict[str, str]:
    return {"title": article.title, "keywords": article.keywords.replace(",", " "), "body": plain_text(article.body)}


def _surface_words(article: Article) -> set[str]:
    found = set()
    for text in _texts(article).values():
        for word in words(text):
            folded = fold(word)
            if 3 <= len(folded) <= MAX_TERM and not is_stop_word(word, article.language):
                found.add(folded)
    return found


def _tokens(article: Article, splitter: Splitter) -> dict[str, list[str]]:
    return {name: [token[:MAX_TERM] for token in analyse(text, article.language, splitter)]
            for name, text in _texts(article).items()}


def _summary(article: Article, splitter: Splitter, rarity) -> str:
    """The tokens of the body's SUMMARY_WORDS rarest distinct words (`rarity` gives a word's
    document count; lower is rarer)."""
    body_words = []
    seen = set()
    for word in words(plain_text(article.body)):
        folded = fold(word)
        if folded not in seen and len(folded) >= 3 and not is_stop_word(word, article.language):
            seen.add(folded)
            body_words.append(word)
    chosen = sorted(body_words, key=lambda word: rarity(word, article.language))[:SUMMARY_WORDS]
    # Each word's own stem only: the summary vector is read for every matching row, so it stays small.
    return " ".join(word_tokens(word, article.language, splitter)[0][0][:MAX_TERM] for word in chosen)


def _length(tokens: dict[str, list[str]]) -> int:
    return int(sum(FIELD_WEIGHTS[name] * len(values) for name, values in tokens.items()))


def _is_indexed(article: Article) -> bool:
    return article.active


def _add_words(found: Iterable[str]) -> None:
    Term.objects.bulk_create([Term(kind=WORD, text=word) for word in found], ignore_conflicts=True,
                             batch_size=2000)


@transaction.atomic
def index_articles(articles: Iterable[Article]) -> None:
    """Bring the index of these articles up to date (after an edit, an import, a deactivation)."""
    articles = list(articles)
    if not articles:
        return
    _add_words(set().union(*(_surface_words(article) for article in articles if _is_indexed(article))))
    state = IndexState.objects.select_for_update().filter(pk=_state().pk).get()
    state.generation += 1
    state.save(update_fields=["generation"])
    _cache.pop("current", None)
    known = vocabulary()
    splitter = known.splitter

    def rarity(word: str, language: str) -> int:
        return known.frequencies.get(stem(word, language), 0)

    old = {document.article_id: document for document in
           SearchDocument.objects.filter(article__in=[article.pk for article in articles])}
    gained: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    documents_change = 0
    length_change = 0
    for article in articles:
        previous = old.get(article.pk)
        if previous is not None:
            previous_tokens = {"title": previous.title_tokens.split(), "keywords": previous.keyword_tokens.split(),
                               "body": previous.body_tokens.split()}
            lost.update(set().union(*previous_tokens.values()))
            languages[previous.language] -= 1
            documents_change -= 1
            length_change -= _length(previous_tokens)
        if not _is_indexed(article):
            if previous is not None:
                previous.delete()
            continue
        tokens = _tokens(article, splitter)
        gained.update(set().union(*tokens.values()))
        languages[article.language] += 1
        documents_change += 1
        length_change += _length(tokens)
        SearchDocument.objects.update_or_create(article=article, defaults={
            "language": article.language, "audience": article.audience,
            "title_tokens": " ".join(tokens["title"]), "keyword_tokens": " ".join(tokens["keywords"]),
            "body_tokens": " ".join(tokens["body"]),
            "summary_tokens": _summary(article, splitter, rarity),
        })
    change = Counter(gained)
    change.subtract(lost)
    Term.objects.bulk_create([Term(kind=TOKEN, text=token) for token in gained], ignore_conflicts=True,
                             batch_size=2000)
    by_amount: dict[int, list[str]] = {}
    for token, amount in change.items():
        if amount:
            by_amount.setdefault(amount, []).append(token)
    for amount, tokens in by_amount.items():
        Term.objects.filter(kind=TOKEN, text__in=tokens).update(documents=F("documents") + amount)
    Term.objects.bulk_create([Term(kind=LANGUAGE, text=code) for code in languages], ignore_conflicts=True)
    for code, amount in languages.items():
        if amount:
            Term.objects.filter(kind=LANGUAGE, text=code).update(documents=F("documents") + amount)
    IndexState.objects.filter(pk=state.pk).update(
        generation=F("generation") + 1, documents=F("documents") + documents_change,
        total_length=F("total_length") + length_change)
    _cache.pop("current", None)


@transaction.atomic
def rebuild_index(batch_size: int = 2000, progress=None) -> int:
    """Analyse every article again with the whole vocabulary known first, so compounds split the
    same whichever article came first. Returns how many articles are indexed."""
    articles = Article.objects.filter(active=True).only("id", "language", "title", "keywords", "body", "audience")
    Term.objects.all().delete()
    SearchDocument.objects.all().delete()
    # How many articles each word is in: the summaries take each article's rarest words.
    word_documents: Counter[str] = Counter()
    for article in articles.iterator(chunk_size=batch_size):
        word_documents.update(_surface_words(article))
    known = set(word_documents)
    _add_words(known)
    frequencies: dict[str, int] = {}
    languages: Counter[str] = Counter()
    splitter = Splitter(known)
    batch: list[SearchDocument] = []
    total_length = 0
    count = 0
    for article in articles.iterator(chunk_size=batch_size):
        tokens = _tokens(article, splitter)
        for token in set().union(*tokens.values()):
            frequencies[token] = frequencies.get(token, 0) + 1
        total_length += _length(tokens)
        languages[article.language] += 1
        batch.append(SearchDocument(
            article_id=article.pk, language=article.language, audience=article.audience,
            title_tokens=" ".join(tokens["title"]), keyword_tokens=" ".join(tokens["keywords"]),
            body_tokens=" ".join(tokens["body"]),
            summary_tokens=_summary(article, splitter, lambda word, _language: word_documents.get(fold(word), 0))))
        count += 1
        if len(batch) >= batch_size:
            SearchDocument.objects.bulk_create(batch)
            batch = []
            if progress:
                progress(count)
    SearchDocument.objects.bulk_create(batch)
    Term.objects.bulk_create([Term(kind=TOKEN, text=token, documents=amount) for token, amount in frequencies.items()],
                             batch_size=5000)
    Term.objects.bulk_create([Term(kind=LANGUAGE, text=code, documents=amount) for code, amount in languages.items()])
    state = _state()
    IndexState.objects.filter(pk=state.pk).update(generation=F("generation") + 1, documents=count,
                                                  total_length=total_length)
    _cache.pop("current", None)
    return count
