"""Learning from use: an article that people open from a search's results, whose answer they use
or that they find helpful, for questions with the same words, ranks a little higher for such
questions.

Each positive signal adds one to (article, stem) for every stem of the search's words. Only a
stem with at least MIN_POSITIVES signals counts, so a handful of clicks changes nothing; what a
word adds saturates (positives / (positives + MIN_POSITIVES)), and the whole prior multiplies an
article's score by at most 1 + CAP when every word of the question has many signals for it.
It reorders articles the question already found; it never finds one that does not match, and the
confidence (whether a hit answers the question) does not use it. Administrators see and reset it
in the admin (Knowledge base → Learned search words)."""

from django.db import connection, transaction
from django.db.models import F

from aspa.knowledge.models import Article, LearnedTerm, SearchLog
from aspa.knowledge.text import LANGUAGES, is_stop_word, stem, words

# Signals a (word, article) pair needs before it counts at all.
MIN_POSITIVES = 5
# At most this much of an article's score is added (every word of the question well learned).
CAP = 0.5


def stems(text: str, language: str | None) -> set[str]:
    """The stems of a question's words that learning counts (stop words left out)."""
    code = language if language in LANGUAGES else "fi"
    return {stem(word, code)[:100] for word in words(text) if not is_stop_word(word, code) and len(word) >= 3}


@transaction.atomic
def learn(text: str, language: str | None, article: Article) -> None:
    """One positive signal: the article answered a search with this text."""
    code = language if language in LANGUAGES else "fi"
    found = stems(text, code)
    if not found:
        return
    LearnedTerm.objects.bulk_create([LearnedTerm(article=article, token=token, language=code) for token in found],
                                    ignore_conflicts=True)
    LearnedTerm.objects.filter(article=article, language=code, token__in=found).update(
        positives=F("positives") + 1)


def learn_from_search(search_id: int | None, article: Article) -> None:
    log = SearchLog.objects.filter(pk=search_id).values("text", "language").first() if search_id else None
    if log is not None:
        learn(log["text"], log["language"], article)


def priors(text: str, language: str | None) -> dict[int, float]:
    """article id → the factor its score is multiplied by for this question (only articles with
    a prior; none for a question nothing was learned for)."""
    statement = priors_statement(text, language)
    if statement is None:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return priors_from(cursor.fetchall(), text, language)


def priors_statement(text: str, language: str | None) -> tuple[str, tuple] | None:
    """The SQL (and its parameters) that reads what was learned for the question's stems, so the
    search can send it with its own first read (one round trip less); None when the question has
    no stem learning counts."""
    code = language if language in LANGUAGES else "fi"
    found = stems(text, code)
    if not found:
        return None
    rows = LearnedTerm.objects.filter(token__in=found, language=code, positives__gte=MIN_POSITIVES)
    return rows.values_list("article_id", "positives").query.sql_with_params()


def priors_from(rows: list[tuple], text: str, language: str | None) -> dict[int, float]:
    """The priors from the rows of `priors_statement` (article id, positives)."""
    code = language if language in LANGUAGES else "fi"
    count = len(stems(text, code))
    support: dict[int, float] = {}
    for article_id, positives in rows:
        support[article_id] = support.get(article_id, 0.0) + positives / (positives + MIN_POSITIVES)
    return {article_id: 1 + CAP * value / count for article_id, value in support.items()}
