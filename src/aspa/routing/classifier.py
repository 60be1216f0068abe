"""The free-text classifier: which service and department a message in Finnish, Swedish or
English is most likely about.

Two linear models (scikit-learn) read the same features: TF-IDF of words reduced to their stems by
the Snowball stemmer of the message's language (PyStemmer) — for Finnish, where libvoikko is
installed, to their base forms and compound parts instead — and TF-IDF of character n-grams within
words, which catch compounds ("asukaspysäköintitunnus") and misspellings that no stemmer sees. Both stems and n-grams are taken with ä, ö and å folded to a and o, because residents often
type without them. One model ranks services, the other departments; a service's score is its own
probability times its department's, so the first suggestion's department is also the best
department. Where the request type is known, only services that take requests of that type are
suggested (the catalogue says which; classifying to any other is refused anyway), and the scores
are renormalised among them. Calibrated probabilities (sigmoid, cross-validated) make the score a usable
confidence for applying a suggestion automatically.

This module knows nothing of Django: it trains on examples and answers suggestions.

scikit-learn, numpy and joblib (with scipy, about 120 MiB and a second of CPU) are imported in the
functions that train, rank or unpickle, not at the top: the web pages and the worker import this
module through routing's queries, and most of them never rank anything
(tests/architecture/test_heavy_libraries_load_where_they_run.py)."""

import io
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import Stemmer

if TYPE_CHECKING:
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import FeatureUnion

logger = logging.getLogger(__name__)
STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}
BASE_PART = re.compile(r"\(([^)]+)\)")
WORD = re.compile(r"\w+")
FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a"})
# Tuned by five-fold cross-validation on the training set (docs/quality.md).
REGULARISATION = 0.5
CHARACTER_NGRAMS = (2, 5)
# How much the department model weighs in a service's score (an exponent; 0 ignores it).
DEPARTMENT_WEIGHT = 1.0


@dataclass(frozen=True)
class Example:
    text: str
    language: str
    service: str
    department: str
    type: str = ""  # the request type, where known


@dataclass(frozen=True)
class Suggestion:
    service: str
    department: str
    score: float


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS.get(language, "finnish"))


@lru_cache(maxsize=1)
def voikko():
    """libvoikko's Finnish analyser where the library and its dictionary are installed, else None."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception:  # the binding, its native library or the Finnish dictionary is missing
        return None


_voikko_lock = threading.Lock()  # one Voikko handle is not safe to share between threads


@lru_cache(maxsize=100_000)
def _finnish_tokens(word: str) -> tuple[str, ...]:
    """A Finnish word's base form and, for a compound, its parts' base forms ("asukaspysäköintitunnuksen"
    → "asukaspysäköintitunnus", "asukas", "pysäköinti", "tunnus"); the Snowball stem where Voikko
    does not know the word (a misspelling, a name) or is not installed."""
    analyser = voikko()
    if analyser is not None:
        with _voikko_lock:
            analyses = analyser.analyze(word)
        if analyses:
            # "+asukas(asukas)+pysäköi(pysäköidä)+nti(+ti)+tunnus(tunnus)": the parts in brackets. The
            # derivational suffixes ("+ti") stay: cross-validation was better with them.
            parts = [part.lower() for part in BASE_PART.findall(analyses[0].get("WORDBASES", ""))]
            base = analyses[0].get("BASEFORM", word).lower()
            return (base, *parts) if len(parts) > 1 else (base,)
    return (_stemmer("fi").stemWord(word),)


def stemmed(items: Iterable[tuple[str, str]], lemmas: bool = False) -> list[str]:
    """Each (text, language) as its folded word stems; with `lemmas`, Finnish words as Voikko's
    base forms and compound parts."""
    texts = []
    for text, language in items:
        words = WORD.findall(text.lower())
        if lemmas and language == "fi":
            tokens = [token for word in words for token in _finnish_tokens(word)]
        else:
            tokens = _stemmer(language).stemWords(words)
        texts.append(" ".join(token.translate(FOLD) for token in tokens))
    return texts


def folded(items: Iterable[tuple[str, str]]) -> list[str]:
    return [text.lower().translate(FOLD) for text, _language in items]


def _features(lemmas: bool) -> "FeatureUnion":
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    # Module-level functions, not lambdas: the fitted pipeline is pickled into the database.
    return FeatureUnion([
        ("stems", make_pipeline(FunctionTransformer(stemmed, kw_args={"lemmas": lemmas}),
                                TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), token_pattern=r"\S+"))),
        ("chars", make_pipeline(FunctionTransformer(folded),
                                TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=CHARACTER_NGRAMS))),
    ])


def _calibrated(features, labels) -> "CalibratedLinear":
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    fitted = CalibratedClassifierCV(LinearSVC(C=REGULARISATION), cv=2, method="sigmoid").fit(features, labels)
    return CalibratedLinear(fitted)


class CalibratedLinear:
    """A fitted CalibratedClassifierCV of linear models, reduced to its arrays.

    scikit-learn calibrates one class at a time with input checks on each call, which costs tens of
    milliseconds for one text with fifty services; the same arithmetic on whole arrays takes well
    under one. The result is the same (but for inverted slopes, below): each fold's sigmoid of the
    decision function, normalised over the classes, averaged over the folds."""

    def __init__(self, fitted: "CalibratedClassifierCV"):
        import numpy as np

        self.classes_ = fitted.classes_
        index = {label: position for position, label in enumerate(self.classes_)}
        self.folds = []
        for fold in fitted.calibrated_classifiers_:
            estimator = fold.estimator
            columns = np.array([index[label] for label in estimator.classes_])
            slopes = np.array([calibrator.a_ for calibrator in fold.calibrators])
            offsets = np.array([calibrator.b_ for calibrator in fold.calibrators])
            # Platt's slope is negative: a higher decision value, a higher probability. With very few
            # examples a fold can learn it the wrong way round and invert the model's ranking; such a
            # class gets the plain logistic of its decision value instead.
            inverted = slopes >= 0
            slopes, offsets = np.where(inverted, -1.0, slopes), np.where(inverted, 0.0, offsets)
            self.folds.append((estimator.coef_.T.copy(), estimator.intercept_, slopes, offsets, columns))

    def predict_proba(self, features) -> "np.ndarray":
        import numpy as np

        count, classes = features.shape[0], len(self.classes_)
        total = np.zeros((count, classes))
        for weights, intercept, slopes, offsets, columns in self.folds:
            decision = np.asarray(features @ weights) + intercept
            calibrated = 1.0 / (1.0 + np.exp(slopes * decision + offsets))
            probability = np.zeros((count, classes))
            if classes == 2:
                # One decision function for the second class, as scikit-learn does it.
                probability[:, 1] = calibrated[:, 0]
                probability[:, 0] = 1.0 - probability[:, 1]
            else:
                probability[:, columns] = calibrated
                sums = probability.sum(axis=1, keepdims=True)
                probability = np.divide(probability, sums, out=np.full_like(probability, 1 / classes),
                                        where=sums != 0)
            total += probability
        return total / len(self.folds)


class Classifier:
    """The fitted features, a model for services and one for departments, the service → department
    map and the request types each service takes."""

    def __init__(self, features: "FeatureUnion", services: CalibratedLinear, departments: CalibratedLinear,
                 owner: dict[str, str], accepts: dict[str, frozenset[str]], lemmas: bool = False):
        self.features = features
        self.lemmas = lemmas  # trained with Voikko's Finnish base forms
        self.services = services
        self.departments = departments
        self.owner = owner
        self.accepts = accepts

    @classmethod
    def train(cls, examples: Sequence[Example], extra_departments: Sequence[Example] = (),
              accepts: dict[str, frozenset[str]] | None = None,
              progress: Callable[[str], None] = lambda message: None) -> "Classifier":
        """Fit both models. `extra_departments` are texts known only by department (the names of
        departments and their teams); `accepts` maps a service to the request types it takes."""
        owner = {example.service: example.department for example in examples}
        if len(set(owner)) < 2:
            raise ValueError("Training needs examples of at least two services.")
        everything = [*examples, *extra_departments]
        progress("features")
        lemmas = voikko() is not None
        features = _features(lemmas).fit([(example.text, example.language) for example in everything])
        matrix = features.transform([(example.text, example.language) for example in everything])
        progress("services")
        services = _calibrated(matrix[:len(examples)], [example.service for example in examples])
        progress("departments")
        departments = _calibrated(matrix, [example.department for example in everything])
        return cls(features, services, departments, owner, dict(accepts or {}), lemmas)

    def rank(self, texts: Sequence[tuple[str, str]], limit: int = 3,
             types: Sequence[str | None] | None = None) -> list[list[Suggestion]]:
        """For each (text, language), the `limit` best services, best first; with `types`, only
        services that take each request's type."""
        import numpy as np

        matrix = self.features.transform(texts)
        service_probabilities = self.services.predict_proba(matrix)
        department_probabilities = self.departments.predict_proba(matrix)
        service_codes = self.services.classes_
        department_index = {code: index for index, code in enumerate(self.departments.classes_)}
        owners = [self.owner[code] for code in service_codes]
        columns = np.array([department_index.get(owner, -1) for owner in owners])
        results = []
        for position, (by_service, by_department) in enumerate(zip(service_probabilities, department_probabilities,
                                                                   strict=True)):
            # A department's probability: what its own model says, averaged with the sum of its services'.
            summed: dict[str, float] = {}
            for owner, probability in zip(owners, by_service, strict=True):
                summed[owner] = summed.get(owner, 0.0) + probability
            own = np.where(columns >= 0, by_department[np.maximum(columns, 0)], 0.0)
            department_score = 0.5 * np.array([summed[owner] for owner in owners]) + 0.5 * own
            scores = by_service * department_score ** DEPARTMENT_WEIGHT
            request_type = types[position] if types is not None else None
            if request_type:
                taken = np.array([request_type in self.accepts.get(code, ()) for code in service_codes])
                if taken.any():
                    scores = np.where(taken, scores, 0.0)
            total = scores.sum() or 1.0
            best = [i for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] > 0]
            results.append([Suggestion(str(service_codes[i]), owners[i], round(float(scores[i] / total), 4))
                            for i in best])
        return results

    def suggest(self, text: str, language: str, limit: int = 3, type: str | None = None) -> list[Suggestion]:
        return self.rank([(text, language)], limit, types=[type])[0]

    def dumps(self) -> bytes:
        import joblib

        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def loads(data: bytes) -> "Classifier":
        import joblib

        classifier = joblib.load(io.BytesIO(bytes(data)))
        if classifier.lemmas and voikko() is None:
            # Still works, on Snowball stems for the words it learnt as base forms: worse, not broken.
            logger.warning("The routing classifier was trained with libvoikko, which is not installed here; "
                           "retrain it (aspa routing train) for full accuracy.")
        return classifier


@dataclass(frozen=True)
class Accuracy:
    examples: int
    service_top1: float
    service_top3: float
    department_top1: float
    department_top3: float


def evaluate(classifier: Classifier, examples: Sequence[Example], progress: Callable[[int, int], None] | None = None,
             batch: int = 200, use_types: bool = True) -> Accuracy:
    """Top-1 and top-3 accuracy, for services and for departments, of the suggestions as a user
    sees them: a department's rank is where it first appears in the list. With `use_types`, each
    example's request type (where it has one) narrows the services as it does on the desk."""
    hits = {"s1": 0, "s3": 0, "d1": 0, "d3": 0}
    for start in range(0, len(examples), batch):
        chunk = examples[start:start + batch]
        ranked = classifier.rank([(example.text, example.language) for example in chunk],
                                 limit=len(classifier.owner),
                                 types=[example.type or None for example in chunk] if use_types else None)
        for example, suggestions in zip(chunk, ranked, strict=True):
            services = [suggestion.service for suggestion in suggestions]
            departments = list(dict.fromkeys(suggestion.department for suggestion in suggestions))
            hits["s1"] += services[:1] == [example.service]
            hits["s3"] += example.service in services[:3]
            hits["d1"] += departments[:1] == [example.department]
            hits["d3"] += example.department in departments[:3]
        if progress is not None:
            progress(min(start + batch, len(examples)), len(examples))
    count = len(examples) or 1
    return Accuracy(len(examples), hits["s1"] / count, hits["s3"] / count, hits["d1"] / count, hits["d3"] / count)
