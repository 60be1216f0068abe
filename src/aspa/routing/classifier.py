"""The free-text classifier: which service and department a message in Finnish, Swedish or
English is most likely about.

A linear model (scikit-learn) reads two kinds of features: TF-IDF of words reduced to their stems
by the Snowball stemmer of the message's language (PyStemmer) — for Finnish, where libvoikko is
installed, to their base forms and compound parts instead — and TF-IDF of character n-grams within
words, which catch compounds ("asukaspysäköintitunnus") and misspellings that no stemmer sees.
Both are taken with ä, ö and å folded to a and o, because residents often type without them. One
linear SVM per service against the rest ranks the services; one softmax temperature, fitted on
held-out messages, makes their decision values probabilities (SoftmaxLinear), so the score is a
usable confidence for applying a suggestion automatically, and a service with a single example is
learnt like any other. A suggestion's department is its service's. Where the request type is
known, only services that take requests of that type are suggested (the catalogue says which;
classifying to any other is refused anyway), and the scores are renormalised among them. Why
these choices, and what they replaced: docs/quality.md, "Routing".

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
DEPARTMENT_WEIGHT = 0.0
# The softmax temperature of a model with too few messages to fit one on held-out examples (fitted
# ones were 0.07 on train.jsonl and 0.10 on the long-tailed set): softer, so that a model that
# could not be calibrated is less sure of itself and applies fewer suggestions by itself.
UNCALIBRATED = 0.3
# A temperature is fitted only on at least this many held-out messages, and never below the
# coolest of the grid: on a dozen held-out messages of a first month's history the best fit was
# the grid's end (0.01), which made every suggestion "100 %" and applied by itself.
MIN_HELD_OUT = 50
COOLEST = 0.05
# How much a catalogue text weighs against one of the city's messages.
CATALOGUE_WEIGHT = 1.0


@dataclass(frozen=True)
class Example:
    text: str
    language: str
    service: str
    department: str
    type: str = ""  # the request type, where known
    corrected: bool = False  # an advisor changed the service a suggestion had given the request


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


# Fitted weights are classes × features floats: at most about this many, so that a city with hundreds
# of services and 100,000 requests still trains in memory on a small machine (each vectoriser then
# keeps its most frequent terms). The training set here is far below it.
WEIGHT_BUDGET = 40_000_000


def _features(lemmas: bool, classes: int = 2, examples: int = 0) -> "FeatureUnion":
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    # Half the budget to each vectoriser; a term seen once in a large history is mostly noise.
    limit = max(20_000, WEIGHT_BUDGET // max(classes, 1) // 2)
    least = 2 if examples >= 20_000 else 1
    # Module-level functions, not lambdas: the fitted pipeline is pickled into the database.
    return FeatureUnion([
        ("stems", make_pipeline(FunctionTransformer(stemmed, kw_args={"lemmas": lemmas}),
                                TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), token_pattern=r"\S+",
                                                max_features=limit, min_df=least, dtype=np.float32))),
        ("chars", make_pipeline(FunctionTransformer(folded),
                                TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=CHARACTER_NGRAMS,
                                                max_features=limit, min_df=least, dtype=np.float32))),
    ])


class SoftmaxLinear:
    """A linear SVM's decision values made probabilities by one softmax with one temperature for
    all classes.

    The temperature is the model's only calibration, fitted on held-out examples (Classifier.train):
    one number needs no examples of every class, so a service with a single example is ranked by
    its own weights instead of by a per-class sigmoid learnt from nothing (what made the earlier
    calibrated model lose to a plain baseline on a city's long tail, docs/quality.md)."""

    def __init__(self, classes, coefficients, intercept, temperature: float = UNCALIBRATED):
        import numpy as np

        self.classes_ = np.asarray(classes)
        self.weights = np.ascontiguousarray(np.asarray(coefficients).T, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.temperature = temperature

    def decision(self, features) -> "np.ndarray":
        import numpy as np

        return np.asarray(features @ self.weights) + self.intercept

    def predict_proba(self, features, decision: "np.ndarray | None" = None) -> "np.ndarray":
        import numpy as np

        values = (self.decision(features) if decision is None else decision) / self.temperature
        values = np.exp(values - values.max(axis=1, keepdims=True))
        return values / values.sum(axis=1, keepdims=True)


REST = "\x00rest"  # sorts first: in a two-class fit, the decision function is the other class's
CLASSES_PER_FIT = 50


def _linear(features, labels: Sequence[str], weights: Sequence[float], regularisation: float,
            progress: Callable[[int, int], None] = lambda done, total: None) -> SoftmaxLinear:
    """One linear SVM per class against all others (what scikit-learn's LinearSVC does for many
    classes), fitted CLASSES_PER_FIT classes at a time with every other example labelled REST: the
    same binary problems, the same weights, but progress to show between the fits of a large
    history (and no more than fifty classes' weights in liblinear's memory at once). The dual solver
    always: scikit-learn's "auto" switches to the primal one once there are more messages than
    features, which on a large history of short texts is many times slower."""
    import numpy as np
    from sklearn.svm import LinearSVC

    labels = np.asarray(labels, dtype=object)
    classes = sorted(set(labels))
    weights = np.asarray(weights, dtype=float)
    progress(0, len(classes))
    if len(classes) == 2:
        fitted = LinearSVC(C=regularisation, dual=True).fit(features, labels, sample_weight=weights)
        coefficients = np.vstack([-fitted.coef_[0], fitted.coef_[0]]) / 2
        return SoftmaxLinear(fitted.classes_, coefficients, [-fitted.intercept_[0] / 2, fitted.intercept_[0] / 2])
    coefficients, intercepts = [], []
    for start in range(0, len(classes), CLASSES_PER_FIT):
        if start:
            progress(start, len(classes))
        chunk = classes[start:start + CLASSES_PER_FIT]
        if len(chunk) == len(classes):
            fitted = LinearSVC(C=regularisation, dual=True).fit(features, labels, sample_weight=weights)
            coefficients.append(fitted.coef_)
            intercepts.append(fitted.intercept_)
            continue
        chunked = np.where(np.isin(labels, chunk), labels, REST)
        fitted = LinearSVC(C=regularisation, dual=True).fit(features, chunked, sample_weight=weights)
        if len(fitted.classes_) == 2:  # one class and the rest: one decision function, the class's
            coefficients.append(fitted.coef_)
            intercepts.append(fitted.intercept_)
        else:
            coefficients.append(fitted.coef_[1:])
            intercepts.append(fitted.intercept_[1:])
    progress(len(classes), len(classes))
    return SoftmaxLinear(classes, np.vstack(coefficients), np.concatenate(intercepts))


def best_temperature(decisions: "np.ndarray", truth: "np.ndarray") -> float:
    """The temperature whose softmax gives the held-out examples' true classes the highest
    likelihood (a grid: one number, no optimiser needed). `truth` holds each row's column, or -1
    for a class the fold did not see (left out)."""
    import numpy as np

    known = truth >= 0
    if not known.any():
        return UNCALIBRATED
    values, columns = decisions[known], truth[known]
    best, best_loss = 0.1, float("inf")
    for temperature in np.geomspace(COOLEST, 2.0, 40):
        scaled = values / temperature
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        loss = float(np.mean(np.log(np.exp(scaled).sum(axis=1)) - scaled[np.arange(len(columns)), columns]))
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


class CalibratedLinear:
    """The calibrated SVMs of models trained before issue 13, kept so that a stored model of that
    time still loads and answers until it is retrained."""

    def predict_proba(self, features) -> "np.ndarray":
        import numpy as np

        count, classes = features.shape[0], len(self.classes_)
        total = np.zeros((count, classes))
        for weights, intercept, slopes, offsets, columns in self.folds:
            decision = np.asarray(features @ weights) + intercept
            calibrated = 1.0 / (1.0 + np.exp(slopes * decision + offsets))
            probability = np.zeros((count, classes))
            if classes == 2:
                probability[:, 1] = calibrated[:, 0]
                probability[:, 0] = 1.0 - probability[:, 1]
            else:
                probability[:, columns] = calibrated
                sums = probability.sum(axis=1, keepdims=True)
                probability = np.divide(probability, sums, out=np.full_like(probability, 1 / classes),
                                        where=sums != 0)
            total += probability
        return total / len(self.folds)


def _held_out_temperature(matrix, labels: Sequence[str], catalogue_matrix, catalogue_labels: Sequence[str],
                          catalogue_weights: Sequence[float], regularisation: float) -> float:
    """The softmax temperature that best fits messages the model has not seen: a model trained on
    three quarters of the messages (at most 20,000 of them, and the whole catalogue) scores the
    other quarter (at most 5,000). Too few messages to hold out MIN_HELD_OUT: the default."""
    import numpy as np
    import scipy.sparse

    count = matrix.shape[0]
    if count // 4 < MIN_HELD_OUT:
        return UNCALIBRATED
    order = np.random.default_rng(0).permutation(count)
    held = order[:min(count // 4, 5_000)]
    kept = order[len(held):len(held) + 20_000]
    train_labels = [labels[i] for i in kept] + list(catalogue_labels)
    if len(set(train_labels)) < 2:
        return UNCALIBRATED
    model = _linear(scipy.sparse.vstack([matrix[kept], catalogue_matrix]), train_labels,
                    [1.0] * len(kept) + list(catalogue_weights), regularisation)
    column = {label: position for position, label in enumerate(model.classes_)}
    truth = np.array([column.get(labels[i], -1) for i in held])
    return best_temperature(model.decision(matrix[held]), truth)


@dataclass(frozen=True)
class Choices:
    """The model's choices, each made by cross-validation on the training data (docs/quality.md)."""

    regularisation: float = REGULARISATION
    catalogue_weight: float = CATALOGUE_WEIGHT  # a catalogue text against a real message
    department_weight: float = DEPARTMENT_WEIGHT  # 0: a service's score is its own alone


DEFAULT_CHOICES = Choices()


class Classifier:
    """The fitted features, a model for services (and one for departments where
    `choices.department_weight` is above 0: not in use, docs/quality.md), the service → department
    map and the request types each service takes."""

    def __init__(self, features: "FeatureUnion", services, departments, owner: dict[str, str],
                 accepts: dict[str, frozenset[str]], lemmas: bool = False, choices: Choices = DEFAULT_CHOICES):
        self.features = features
        self.lemmas = lemmas  # trained with Voikko's Finnish base forms
        self.services = services
        self.departments = departments
        self.owner = owner
        self.accepts = accepts
        self.choices = choices

    @classmethod
    def train(cls, examples: Sequence[Example], extra_departments: Sequence[Example] = (),
              accepts: dict[str, frozenset[str]] | None = None,
              progress: Callable[[str], None] = lambda message: None, catalogue: Sequence[Example] = (),
              choices: Choices = DEFAULT_CHOICES, calibrate: bool = True) -> "Classifier":
        """Fit both models. `catalogue` are the catalogue's own texts of services (weighed by
        `choices.catalogue_weight`), `extra_departments` texts known only by department (the names
        of departments and their teams); `accepts` maps a service to the request types it takes.
        Every class with one example or more is learnt: nothing here needs two of a kind."""

        owner = {example.service: example.department for example in catalogue}
        owner.update({example.service: example.department for example in examples})
        if len(set(owner)) < 2:
            raise ValueError("Training needs examples of at least two services.")
        by_service = [*examples, *catalogue]
        everything = [*by_service, *extra_departments]
        weights = [1.0] * len(examples) + [choices.catalogue_weight] * (len(catalogue) + len(extra_departments))
        progress("features")
        lemmas = voikko() is not None
        features = _features(lemmas, classes=len(owner), examples=len(everything))
        matrix = features.fit_transform([(example.text, example.language) for example in everything])
        labels = [example.service for example in by_service]
        services = _linear(matrix[:len(by_service)], labels, weights[:len(by_service)], choices.regularisation,
                           progress=lambda done, total: progress(f"the services model, {done}/{total} services"))
        if calibrate:
            progress("calibration")
            services.temperature = _held_out_temperature(matrix[:len(examples)], labels[:len(examples)],
                                                         matrix[len(examples):len(by_service)],
                                                         labels[len(examples):], weights[len(examples):len(by_service)],
                                                         choices.regularisation)
        departments = None
        if choices.department_weight > 0:
            progress("the departments model")
            departments = _linear(matrix, [example.department for example in everything], weights,
                                  choices.regularisation)
            departments.temperature = services.temperature
        return cls(features, services, departments, owner, dict(accepts or {}), lemmas, choices)

    def rank(self, texts: Sequence[tuple[str, str]], limit: int = 3,
             types: Sequence[str | None] | None = None) -> list[list[Suggestion]]:
        """For each (text, language), the `limit` best services, best first; with `types`, only
        services that take each request's type."""
        import numpy as np

        matrix = self.features.transform(texts)
        service_probabilities = self.services.predict_proba(matrix)
        service_codes = self.services.classes_
        owners = [self.owner[code] for code in service_codes]
        weight = getattr(self, "choices", Choices(department_weight=1.0)).department_weight
        if self.departments is not None and weight > 0:
            department_probabilities = self.departments.predict_proba(matrix)
            department_index = {code: index for index, code in enumerate(self.departments.classes_)}
            columns = np.array([department_index.get(owner, -1) for owner in owners])
            # A department's probability: its own model's, averaged with the sum of its services'.
            owner_columns = {owner: position for position, owner in enumerate(dict.fromkeys(owners))}
            membership = np.zeros((len(owners), len(owner_columns)))
            membership[np.arange(len(owners)), [owner_columns[owner] for owner in owners]] = 1.0
            summed = (service_probabilities @ membership) @ membership.T
            own = np.where(columns >= 0, department_probabilities[:, np.maximum(columns, 0)], 0.0)
            service_probabilities = service_probabilities * (0.5 * summed + 0.5 * own) ** weight
        results = []
        for position, scores in enumerate(service_probabilities):
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
