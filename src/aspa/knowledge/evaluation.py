"""Measuring the search against questions with known relevant articles, beside a plain BM25
baseline (`baseline`), and choosing the search's parameters honestly: by k-fold
cross-validation inside one question file (each fold measured with the parameters chosen on the
other folds), or on one file and measured on another.

What is chosen: Aspa's ranking parameters (`search.Tuning`, by MRR@10) and, for both systems,
the confidence below which a search counts as having found no answer (by balanced accuracy: the
mean of the share of unanswerable questions left without a confident hit and the share of
answerable ones given one)."""

import json
import math
import random
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from aspa.knowledge import search
from aspa.knowledge.baseline import PlainBM25
from aspa.knowledge.models import Article
from aspa.knowledge.text import LANGUAGES

RANKED = 10
# The parameter sets cross-validation chooses from; the deployed defaults first, so that a tie
# keeps them.
GRID = [search.DEFAULT] + [
    search.Tuning(k1=k1, b=b, other_languages_below=below, other_languages_weight=weight)
    for k1 in (0.9, 1.2, 1.8) for b in (0.5, 0.75, 0.9) for below in (0.5, 0.7) for weight in (1.0, 0.8)
    if search.Tuning(k1=k1, b=b, other_languages_below=below, other_languages_weight=weight) != search.DEFAULT]


NO_SIGNALS = (0.0, 0.0, 1.0, 0.0)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    language: str | None
    # External ids of the articles that answer it; empty when the knowledge base has no answer.
    relevant: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    ranked: list[str]
    # The best hit's confidence (Aspa) or score (the baseline); 0 without hits.
    confidence: float
    # Aspa: the best hit's signals (`search.Hit.signals`), from which a confidence is fitted.
    signals: tuple[float, ...] | None = None

    def rejudged(self, model: search.Confidence) -> "Outcome":
        if self.signals is None:
            return self
        return Outcome(self.ranked, model.of_signals(self.signals), self.signals)


@dataclass
class Figures:
    questions: int = 0
    answerable: int = 0
    unanswerable: int = 0
    recall_at_3: float = 0.0
    mrr_at_10: float = 0.0
    # Of the questions given no confident hit, the share that indeed have no answer.
    no_answer_precision: float | None = None
    # Of the questions without an answer, the share given no confident hit.
    no_answer_recall: float | None = None
    confident_when_answerable: float | None = None
    misses: list[str] = field(default_factory=list)


def read_questions(lines: Iterable[str], known_ids: set[str]) -> tuple[list[Question], list[str]]:
    """The questions of a JSON-lines file ({"id", "lang", "text", "relevant": [article ids]}) and
    a report line for each row skipped: not JSON, no text, an unknown language or article id."""
    questions: list[Question] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            problems.append(f"line {number}: not JSON ({error}); skipped")
            continue
        if not isinstance(item, dict):
            problems.append(f"line {number}: not a JSON object; skipped")
            continue
        text, language, relevant = item.get("text"), item.get("lang"), item.get("relevant") or []
        if not isinstance(text, str) or not text.strip():
            problems.append(f"line {number}: no question text; skipped")
        elif language is not None and language not in LANGUAGES:
            problems.append(f"line {number}: unknown language {language!r}; skipped")
        elif not isinstance(relevant, list) or not all(isinstance(value, str) for value in relevant):
            problems.append(f"line {number}: 'relevant' is not a list of article ids; skipped")
        elif unknown := sorted(set(relevant) - known_ids):
            problems.append(f"line {number}: no article with the id {', '.join(unknown)}; skipped")
        else:
            questions.append(Question(str(item.get("id", number)), text, language, frozenset(relevant)))
    return questions, problems


def known_article_ids() -> set[str]:
    return {external_id for external_id in Article.objects.values_list("external_id", flat=True) if external_id}


def aspa_outcomes(questions: list[Question], tuning: search.Tuning = search.DEFAULT) -> list[Outcome]:
    external_ids = dict(Article.objects.values_list("pk", "external_id"))
    outcomes = []
    for question in questions:
        hits = search.search(question.text, language=question.language, limit=RANKED, tuning=tuning)
        outcomes.append(Outcome([external_ids.get(hit.article_id) or str(hit.article_id) for hit in hits],
                                hits[0].confidence if hits else 0.0, hits[0].signals() if hits else NO_SIGNALS))
    return outcomes


def baseline_outcomes(questions: list[Question], baseline: PlainBM25 | None = None) -> list[Outcome]:
    baseline = baseline or PlainBM25.of_articles()
    outcomes = []
    for question in questions:
        found = baseline.search(question.text, question.language, limit=RANKED)
        outcomes.append(Outcome([external_id for external_id, _score in found], found[0][1] if found else 0.0))
    return outcomes


def _rank(outcome: Outcome, relevant: frozenset[str]) -> int | None:
    return next((position for position, item in enumerate(outcome.ranked, start=1) if item in relevant), None)


def measure(questions: list[Question], outcomes: list[Outcome], confident: list[bool] | None) -> Figures:
    """The figures of these outcomes; `confident` says for each question whether its best hit
    counts as an answer (None: not judged, no no-answer figures)."""
    figures = Figures(questions=len(questions))
    found_in_3 = reciprocal = 0.0
    quiet = quiet_right = confident_answerable = 0
    for number, (question, outcome) in enumerate(zip(questions, outcomes, strict=True)):
        is_confident = confident[number] if confident is not None else True
        quiet += not is_confident
        if not question.relevant:
            figures.unanswerable += 1
            quiet_right += not is_confident
            continue
        figures.answerable += 1
        confident_answerable += is_confident
        rank = _rank(outcome, question.relevant)
        found_in_3 += rank is not None and rank <= 3
        reciprocal += 1 / rank if rank is not None else 0.0
        if rank is None or rank > 3:
            figures.misses.append(f"{question.id} rank={rank} got={outcome.ranked[:3]} want={sorted(question.relevant)}")
    if figures.answerable:
        figures.recall_at_3 = found_in_3 / figures.answerable
        figures.mrr_at_10 = reciprocal / figures.answerable
    if confident is not None:
        if figures.answerable:
            figures.confident_when_answerable = confident_answerable / figures.answerable
        if quiet:
            figures.no_answer_precision = quiet_right / quiet
        if figures.unanswerable:
            figures.no_answer_recall = quiet_right / figures.unanswerable
    return figures


def _balanced_accuracy(questions: list[Question], outcomes: list[Outcome], threshold: float) -> float:
    unanswerable = [outcome for question, outcome in zip(questions, outcomes, strict=True) if not question.relevant]
    answerable = [outcome for question, outcome in zip(questions, outcomes, strict=True) if question.relevant]
    quiet = sum(outcome.confidence < threshold for outcome in unanswerable) / len(unanswerable)
    spoken = sum(outcome.confidence >= threshold for outcome in answerable) / len(answerable)
    return (quiet + spoken) / 2


def choose_threshold(questions: list[Question], outcomes: list[Outcome], default: float) -> float:
    """The confidence threshold that best separates these answerable and unanswerable questions:
    of the equally good ones the middle one; `default` when the questions are all of one kind."""
    if all(question.relevant for question in questions) or not any(question.relevant for question in questions):
        return default
    values = sorted({outcome.confidence for outcome in outcomes})
    candidates = [values[0]] + [(low + high) / 2 for low, high in zip(values, values[1:], strict=False)] + \
        [values[-1] + 1.0]
    scored = [(_balanced_accuracy(questions, outcomes, threshold), threshold) for threshold in candidates]
    best = max(score for score, _threshold in scored)
    tied = [threshold for score, threshold in scored if score == best]
    return tied[len(tied) // 2]


def fit_confidence(questions: list[Question], outcomes: list[Outcome]) -> search.Confidence:
    """A logistic model of "the best hit answers the question" over the best hits' signals,
    answerable and unanswerable questions weighted equally (scikit-learn, C 1.0), with the bias
    moved so that the threshold of the best balanced accuracy on these questions is 0.5."""
    # Only evaluation fits a model; searching multiplies by its weights, without scikit-learn.
    from sklearn.linear_model import LogisticRegression

    if all(question.relevant for question in questions) or not any(question.relevant for question in questions):
        return search.CONFIDENCE
    signals = [outcome.signals or NO_SIGNALS for outcome in outcomes]
    fitted = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(
        signals, [bool(question.relevant) for question in questions])
    weights = tuple(float(weight) for weight in fitted.coef_[0])
    raw = search.Confidence(weights, float(fitted.intercept_[0]))  # type: ignore[arg-type]
    judged = [outcome.rejudged(raw) for outcome in outcomes]
    threshold = choose_threshold(questions, judged, 0.5)
    threshold = min(max(threshold, 1e-9), 1 - 1e-9)
    return search.Confidence(raw.weights, raw.bias - math.log(threshold / (1 - threshold)))


def _mrr(questions: list[Question], outcomes: list[Outcome]) -> float:
    return measure(questions, outcomes, None).mrr_at_10


def _subset(items: list, positions: list[int]) -> list:
    return [items[position] for position in positions]


def folds_of(questions: list[Question], count: int) -> list[list[int]]:
    """`count` folds of question positions, the same every run, each with its share of every
    language and of the unanswerable questions."""
    groups: dict[tuple[bool, str | None], list[int]] = {}
    for position, question in enumerate(questions):
        groups.setdefault((bool(question.relevant), question.language), []).append(position)
    rng = random.Random(13)
    folds: list[list[int]] = [[] for _ in range(count)]
    dealt = 0
    for key in sorted(groups, key=lambda pair: (pair[0], pair[1] or "")):
        positions = sorted(groups[key], key=lambda position: questions[position].id)
        rng.shuffle(positions)
        for position in positions:
            folds[dealt % count].append(position)
            dealt += 1
    return [sorted(fold) for fold in folds if fold]


@dataclass
class Choice:
    tuning: search.Tuning
    # Aspa's confidence, fitted with the chosen ranking; no answer below search.CONFIDENT.
    confidence: search.Confidence
    baseline_threshold: float


@dataclass
class Comparison:
    """Aspa beside the baseline: figures, and the parameters each fold (or the tuning file) chose."""

    aspa: Figures
    baseline: Figures
    choices: list[Choice]
    # Per fold (cross-validation only): (Aspa, baseline).
    folds: list[tuple[Figures, Figures]] = field(default_factory=list)

    def spread(self, system: str, name: str) -> tuple[float, float] | None:
        """Mean and standard deviation over the folds of one figure (None without folds)."""
        values = [getattr(pair[0 if system == "aspa" else 1], name) for pair in self.folds]
        values = [value for value in values if value is not None]
        if len(values) < 2:
            return None
        return statistics.mean(values), statistics.stdev(values)


class Runs:
    """Every question's outcome under every parameter set of the grid and the baseline's, each
    computed once: choosing parameters then only re-reads them."""

    def __init__(self, questions: list[Question], grid: list[search.Tuning],
                 progress: Callable[[str], None] | None = None):
        self.questions = questions
        self.by_tuning: dict[search.Tuning, list[Outcome]] = {}
        for number, tuning in enumerate(grid, start=1):
            self.by_tuning[tuning] = aspa_outcomes(questions, tuning)
            if progress:
                progress(f"searched {len(questions)} questions with parameter set {number} of {len(grid)}")
        self.baseline = baseline_outcomes(questions)

    def choose(self, positions: list[int]) -> Choice:
        questions = _subset(self.questions, positions)
        best, best_mrr = None, -1.0
        for tuning, outcomes in self.by_tuning.items():
            value = _mrr(questions, _subset(outcomes, positions))
            if value > best_mrr + 1e-12:
                best, best_mrr = tuning, value
        assert best is not None
        chosen = _subset(self.by_tuning[best], positions)
        baseline = _subset(self.baseline, positions)
        default_score = statistics.median([outcome.confidence for outcome in baseline] or [0.0])
        return Choice(best, fit_confidence(questions, chosen), choose_threshold(questions, baseline, default_score))


def _judged(outcomes: list[Outcome], threshold: float) -> list[bool]:
    return [outcome.confidence >= threshold for outcome in outcomes]


def cross_validate(questions: list[Question], count: int, grid: list[search.Tuning] | None = None,
                   progress: Callable[[str], None] | None = None) -> Comparison:
    """k-fold cross-validation: each fold measured with the parameters chosen on the others. The
    pooled figures count each question once, measured by parameters chosen without it."""
    runs = Runs(questions, grid or GRID, progress)
    aspa: list[Outcome | None] = [None] * len(questions)
    base: list[Outcome | None] = [None] * len(questions)
    aspa_confident = [False] * len(questions)
    base_confident = [False] * len(questions)
    choices, folds = [], []
    for fold in folds_of(questions, count):
        held_out = set(fold)
        choice = runs.choose([position for position in range(len(questions)) if position not in held_out])
        choices.append(choice)
        fold_questions = _subset(questions, fold)
        fold_aspa = [outcome.rejudged(choice.confidence) for outcome in _subset(runs.by_tuning[choice.tuning], fold)]
        fold_base = _subset(runs.baseline, fold)
        folds.append((measure(fold_questions, fold_aspa, _judged(fold_aspa, search.CONFIDENT)),
                      measure(fold_questions, fold_base, _judged(fold_base, choice.baseline_threshold))))
        for position in fold:
            mine = runs.by_tuning[choice.tuning][position].rejudged(choice.confidence)
            theirs = runs.baseline[position]
            aspa[position], base[position] = mine, theirs
            aspa_confident[position] = mine.confidence >= search.CONFIDENT
            base_confident[position] = theirs.confidence >= choice.baseline_threshold
    pooled_aspa = [outcome for outcome in aspa if outcome is not None]
    pooled_base = [outcome for outcome in base if outcome is not None]
    return Comparison(measure(questions, pooled_aspa, aspa_confident),
                      measure(questions, pooled_base, base_confident), choices, folds)


def tuned_on(training: list[Question], questions: list[Question], grid: list[search.Tuning] | None = None,
             progress: Callable[[str], None] | None = None) -> Comparison:
    """Parameters chosen on one question set, measured on another."""
    choice = Runs(training, grid or GRID, progress).choose(list(range(len(training))))
    aspa = [outcome.rejudged(choice.confidence) for outcome in aspa_outcomes(questions, choice.tuning)]
    base = baseline_outcomes(questions)
    return Comparison(measure(questions, aspa, _judged(aspa, search.CONFIDENT)),
                      measure(questions, base, _judged(base, choice.baseline_threshold)), [choice])


def as_deployed(questions: list[Question]) -> Comparison:
    """Aspa with its deployed parameters beside the baseline, whose no-answer threshold is not
    judged (it has none until one is chosen)."""
    aspa = aspa_outcomes(questions)
    return Comparison(measure(questions, aspa, _judged(aspa, search.CONFIDENT)),
                      measure(questions, baseline_outcomes(questions), None),
                      [Choice(search.DEFAULT, search.CONFIDENCE, float("nan"))])


def most_chosen(choices: list[Choice]) -> search.Tuning:
    return Counter(choice.tuning for choice in choices).most_common(1)[0][0]
