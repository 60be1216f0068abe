"""Training data as a city really has it, and honest figures for the model trained on it.

`clean` makes a history of requests fit to learn from and says what it changed and set aside:
empty texts, duplicates, very long texts (cut), unknown or retired services, departments that
disagree with the catalogue, languages other than fi/sv/en. A rare service (one or two examples) is
kept: the model learns any class from a single example (classifier.SoftmaxLinear).

`cross_validate` gives k-fold figures for Aspa's model and, on the same folds, for a plain
baseline (TF-IDF of word 1–2-grams and character 2–5-grams within words, logistic regression, no
catalogue, no Voikko), so that a choice of features or model is judged against something simple
on the city's own data, not against the synthetic set it was first tuned on (issue 13).

Like the classifier, this module knows nothing of Django, and imports scikit-learn only where it
fits or splits."""

import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from aspa.routing.classifier import (
    DEFAULT_CHOICES,
    WORD,
    Accuracy,
    Choices,
    Classifier,
    Example,
    Suggestion,
    evaluate,
)

LANGUAGES = ("fi", "sv", "en")
# A message longer than this is cut: its beginning says what it is about; the rest (a quoted email
# thread, a pasted document) mostly repeats or adds noise, and costs time in every fold.
LONGEST = 5_000
SHOWN = 8  # codes named per reason in a report


@dataclass
class Report:
    """What cleaning did, reason by reason: how many examples, and which codes."""

    read: int = 0
    kept: int = 0
    set_aside: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    codes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    rare_services: int = 0  # services kept with one or two examples

    def note(self, reason: str, code: str = "", *, aside: bool) -> None:
        (self.set_aside if aside else self.changed)[reason] += 1
        if code:
            self.codes[reason][code] += 1

    def as_dict(self) -> dict:
        return {"read": self.read, "kept": self.kept, "set_aside": dict(self.set_aside),
                "changed": dict(self.changed), "rare_services": self.rare_services,
                "codes": {reason: dict(codes.most_common(SHOWN)) for reason, codes in self.codes.items()}}

    def lines(self) -> list[str]:
        """The report in plain English, one line per reason (for the command line)."""
        lines = [f"{self.read} examples read, {self.kept} kept."]
        for title, counts in (("set aside", self.set_aside), ("changed", self.changed)):
            for reason, count in counts.most_common():
                codes = self.codes.get(reason)
                named = f" ({', '.join(f'{code} {n}' for code, n in codes.most_common(SHOWN))}" \
                        f"{', …' if len(codes) > SHOWN else ''})" if codes else ""
                lines.append(f"  {title}: {count} {REASONS.get(reason, reason)}{named}")
        if self.rare_services:
            lines.append(f"  kept: {self.rare_services} services with only one or two examples "
                         "(learnt from what there is, with the catalogue's texts)")
        return lines


REASONS = {
    "empty": "with no words in the text",
    "duplicate": "repeating an earlier example (same text, language and service)",
    "unknown_service": "of services not in the catalogue (they could never be applied)",
    "retired_service": "of services retired from the catalogue",
    "no_service": "without a service",
    "cut": "texts longer than 5,000 characters, cut to their beginning",
    "department_from_catalogue": "departments replaced by the catalogue's department of the service",
    "department_of_most": "departments of a service unknown to the catalogue set to its most common one",
    "language": "languages other than fi, sv or en, read as Finnish",
    "conflicting": "texts that appear with more than one service (all kept)",
}


def clean(examples: Sequence[Example], services: Mapping[str, tuple[str, bool]] | None = None,
          keep_unknown: bool = False) -> tuple[list[Example], Report]:
    """The examples fit to train on, and the report. `services` maps each catalogue service to
    (its department, active); without it (or with `keep_unknown`) services the catalogue does not
    know are kept, with their most common department."""
    report = Report(read=len(examples))
    seen: set[tuple[str, str, str]] = set()
    services_of_text: dict[str, set[str]] = defaultdict(set)
    kept: list[Example] = []
    for example in examples:
        text = " ".join((example.text or "").split())
        service = (example.service or "").strip()
        if not WORD.search(text):
            report.note("empty", service, aside=True)
            continue
        if not service:
            report.note("no_service", aside=True)
            continue
        if services and service not in services and not keep_unknown:
            report.note("unknown_service", service, aside=True)
            continue
        if services and service in services and not services[service][1]:
            report.note("retired_service", service, aside=True)
            continue
        if len(text) > LONGEST:
            text = text[:LONGEST]
            report.note("cut", aside=False)
        language = example.language
        if language not in LANGUAGES:
            report.note("language", language or "(none)", aside=False)
            language = "fi"
        department = (example.department or "").strip()
        if services and service in services and department != services[service][0]:
            report.note("department_from_catalogue", f"{service}: {department or '(none)'}", aside=False)
            department = services[service][0]
        key = (text.lower(), language, service)
        if key in seen:
            report.note("duplicate", service, aside=True)
            continue
        seen.add(key)
        services_of_text[text.lower()].add(service)
        kept.append(replace(example, text=text, language=language, service=service, department=department,
                            type=(example.type or "").strip()))
    kept = _one_department_per_service(kept, report)
    for services_here in services_of_text.values():
        if len(services_here) > 1:
            report.note("conflicting", aside=False)
    counts = Counter(example.service for example in kept)
    report.rare_services = sum(1 for count in counts.values() if count <= 2)
    report.kept = len(kept)
    return kept, report


def _one_department_per_service(examples: list[Example], report: Report) -> list[Example]:
    """The model learns one department per service: where a service's examples disagree (one that
    the catalogue does not know), the most common department of its examples."""
    departments: dict[str, Counter] = defaultdict(Counter)
    for example in examples:
        departments[example.service][example.department] += 1
    chosen = {service: counts.most_common(1)[0][0] for service, counts in departments.items()}
    result = []
    for example in examples:
        if example.department != chosen[example.service]:
            report.note("department_of_most", example.service, aside=False)
            example = replace(example, department=chosen[example.service])
        result.append(example)
    return result


# ----------------------------------------------------------------- the plain baseline


class Baseline:
    """TF-IDF of word 1–2-grams and character 2–5-grams within words, and logistic regression:
    what anyone would try first. It learns from the messages alone; a service's department is the
    one its messages have, and the request type narrows its suggestions as it does Aspa's."""

    def __init__(self, examples: Sequence[Example], accepts: Mapping[str, frozenset[str]] | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion

        self.features = FeatureUnion([("words", TfidfVectorizer(ngram_range=(1, 2))),
                                      ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)))])
        matrix = self.features.fit_transform([example.text for example in examples])
        self.model = LogisticRegression(max_iter=1000).fit(matrix, [example.service for example in examples])
        self.owner = {example.service: example.department for example in examples}
        self.accepts = dict(accepts or {})

    def rank(self, texts: Sequence[tuple[str, str]], limit: int = 3,
             types: Sequence[str | None] | None = None) -> list[list[Suggestion]]:
        import numpy as np

        probabilities = self.model.predict_proba(self.features.transform([text for text, _language in texts]))
        codes = self.model.classes_
        results = []
        for position, scores in enumerate(probabilities):
            request_type = types[position] if types is not None else None
            if request_type:
                taken = np.array([request_type in self.accepts.get(code, ()) for code in codes])
                if taken.any():
                    scores = np.where(taken, scores, 0.0)
            best = [i for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] > 0]
            results.append([Suggestion(str(codes[i]), self.owner[codes[i]], round(float(scores[i]), 4)) for i in best])
        return results


# ----------------------------------------------------------------- cross-validation


@dataclass
class Figures:
    """Accuracy of one model, from the text alone and with the request type."""

    text_only: Accuracy
    with_type: Accuracy | None


@dataclass
class Comparison:
    aspa: Figures
    baseline: Figures | None
    folds: int
    examples: int
    unseen: int  # test examples whose service was not in their training fold (a miss for both models)
    seconds: float


def _figures(model, test: Sequence[Example]) -> Figures:
    typed = any(example.type for example in test)
    return Figures(evaluate(model, test, use_types=False), evaluate(model, test, use_types=True) if typed else None)


def _summed(parts: list[Accuracy]) -> Accuracy:
    count = sum(part.examples for part in parts) or 1

    def mean(name: str) -> float:
        return sum(getattr(part, name) * part.examples for part in parts) / count

    return Accuracy(sum(part.examples for part in parts), mean("service_top1"), mean("service_top3"),
                    mean("department_top1"), mean("department_top3"))


def compare(train: Sequence[Example], test: Sequence[Example], *, catalogue: Sequence[Example] = (),
            departments: Sequence[Example] = (), accepts: Mapping[str, frozenset[str]] | None = None,
            choices: Choices = DEFAULT_CHOICES, baseline: bool = True,
            progress: Callable[[str], None] = lambda message: None) -> Comparison:
    """Aspa's model and (with `baseline`) the baseline trained on `train`, measured on `test`."""
    started = time.monotonic()
    aspa = Classifier.train(train, departments, accepts=dict(accepts or {}), catalogue=catalogue, choices=choices,
                            calibrate=choices.department_weight > 0, progress=lambda step: progress(f"Aspa, {step}"))
    plain = None
    if baseline:
        progress("baseline")
        plain = _figures(Baseline(train, accepts), test)
    known = {example.service for example in train}
    return Comparison(_figures(aspa, test), plain, 1, len(test),
                      sum(1 for example in test if example.service not in known), time.monotonic() - started)


def folds_of(examples: Sequence[Example], folds: int, seed: int = 0) -> list[tuple[list[int], list[int]]]:
    """Stratified by service where a service has examples enough, shuffled with a fixed seed; a
    service with fewer examples than folds is spread as far as it goes (its lone example is then
    tested by a model that never saw its service: the same miss for both models)."""
    from sklearn.model_selection import KFold, StratifiedKFold

    labels = [example.service for example in examples]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the least populated class has only 1 member": known and meant
        try:
            splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(examples, labels)
            return [(list(train), list(test)) for train, test in splits]
        except ValueError:  # no service has `folds` examples
            splits = KFold(folds, shuffle=True, random_state=seed).split(examples)
            return [(list(train), list(test)) for train, test in splits]


def cross_validate(examples: Sequence[Example], folds: int = 5, *, seed: int = 0, catalogue: Sequence[Example] = (),
                   departments: Sequence[Example] = (), accepts: Mapping[str, frozenset[str]] | None = None,
                   choices: Choices = DEFAULT_CHOICES, baseline: bool = True,
                   progress: Callable[[str], None] = lambda message: None) -> Comparison:
    """k-fold figures of Aspa's model and the baseline on the same folds. The catalogue's texts
    join every training fold (they are what Aspa always has); no test message is ever trained on."""
    if folds < 2 or len(examples) < folds:
        raise ValueError(f"Cross-validation needs at least two folds and an example per fold ({len(examples)} given).")
    started = time.monotonic()
    results = []
    for number, (train_rows, test_rows) in enumerate(folds_of(examples, folds, seed), start=1):
        train = [examples[i] for i in train_rows]
        test = [examples[i] for i in test_rows]
        results.append(compare(train, test, catalogue=catalogue, departments=departments, accepts=accepts,
                               choices=choices, baseline=baseline,
                               progress=lambda step, number=number: progress(f"fold {number}/{folds}: {step}")))
    typed = all(result.aspa.with_type is not None for result in results)

    def merged(which: str) -> Figures | None:
        figures = [getattr(result, which) for result in results]
        if any(figure is None for figure in figures):
            return None
        return Figures(_summed([figure.text_only for figure in figures]),
                       _summed([figure.with_type for figure in figures]) if typed else None)

    aspa = merged("aspa")
    assert aspa is not None
    return Comparison(aspa, merged("baseline"), folds, len(examples),
                      sum(result.unseen for result in results), time.monotonic() - started)


def table(comparison: Comparison) -> list[str]:
    """The comparison as lines of a table: a row per model and way of asking."""
    lines = [f"{'':38} {'service top-1':>13} {'top-3':>6} {'department top-1':>16} {'top-3':>6}"]
    for name, figures in (("Aspa", comparison.aspa), ("baseline (TF-IDF + LR)", comparison.baseline)):
        if figures is None:
            continue
        for way, accuracy in (("text only", figures.text_only), ("text and type", figures.with_type)):
            if accuracy is None:
                continue
            lines.append(f"{name + ', ' + way:38} {accuracy.service_top1:>13.3f} {accuracy.service_top3:>6.3f} "
                         f"{accuracy.department_top1:>16.3f} {accuracy.department_top3:>6.3f}")
    return lines


def figures_of(figures: Figures, folds: int) -> dict:
    """Figures as a model keeps them (ClassifierModel.figures): each way of asking, and `score`,
    the mean of the four figures from the text alone, by which two models are compared."""
    def plain(accuracy: Accuracy) -> dict:
        return {"service_top1": round(accuracy.service_top1, 4), "service_top3": round(accuracy.service_top3, 4),
                "department_top1": round(accuracy.department_top1, 4),
                "department_top3": round(accuracy.department_top3, 4)}

    text = plain(figures.text_only)
    kept = {"folds": folds, "examples": figures.text_only.examples, "text_only": text,
            "score": round(sum(text.values()) / 4, 4)}
    if figures.with_type is not None:
        kept["with_type"] = plain(figures.with_type)
    return kept
