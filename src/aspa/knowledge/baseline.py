"""The plain baseline that `aspa kb evaluate` measures Aspa's search against: Okapi BM25 over
each article's title, keywords and body as one text, Snowball-stemmed (PyStemmer) in the
article's language, the question stemmed in its own; no stop words, synonyms, field weights,
compound splitting, typo correction or other languages' path. If Aspa's search is not ahead of
this on questions nobody tuned for, its machinery is not earning its keep."""

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

import Stemmer

from aspa.knowledge.models import Article
from aspa.knowledge.text import LANGUAGES, plain_text, words

K1 = 1.2
B = 0.75


@cache
def _stemmer(language: str):
    return Stemmer.Stemmer(LANGUAGES.get(language, "finnish"))


def _stems(text: str, language: str) -> list[str]:
    return _stemmer(language).stemWords(words(text))


@dataclass
class PlainBM25:
    """An in-memory index of the active articles (the baseline is for evaluation, not serving)."""

    external_ids: list[str]
    frequencies: list[Counter[str]]
    lengths: list[int]
    document_counts: Counter[str]

    @classmethod
    def of_articles(cls) -> "PlainBM25":
        external_ids, frequencies, lengths = [], [], []
        document_counts: Counter[str] = Counter()
        for article in Article.objects.filter(active=True).order_by("pk"):
            tokens = _stems(" ".join([article.title, article.keywords.replace(",", " "), plain_text(article.body)]),
                            article.language)
            external_ids.append(article.external_id or str(article.pk))
            frequencies.append(Counter(tokens))
            lengths.append(len(tokens))
            document_counts.update(set(tokens))
        return cls(external_ids, frequencies, lengths, document_counts)

    def search(self, text: str, language: str | None, limit: int = 10) -> list[tuple[str, float]]:
        """The best (external id, score) pairs, best first; articles that share no word are left out."""
        documents = len(self.lengths)
        if not documents:
            return []
        average = sum(self.lengths) / documents
        query = set(_stems(text, language or "fi"))
        idf = {token: math.log(1 + (documents - self.document_counts[token] + 0.5) / (self.document_counts[token] + 0.5))
               for token in query}
        scored = []
        for number, counts in enumerate(self.frequencies):
            norm = K1 * (1 - B + B * self.lengths[number] / average)
            score = sum(idf[token] * counts[token] * (K1 + 1) / (counts[token] + norm)
                        for token in query if token in counts)
            if score > 0:
                scored.append((self.external_ids[number], score))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]
