"""`aspa routing train FILE.jsonl` and `aspa routing evaluate FILE.jsonl`.

A training or evaluation file has one JSON object per line with `text`, `lang` (fi, sv, en),
`service` and `department` (catalogue codes), and optionally the request `type`; other keys are
ignored. A line that is not such an object is reported with its number and skipped; the rest of
the file is used. Training cleans the examples (docs/routing.md, "Training on a city's history")
and prints what it set aside and why.

Evaluation reports the figures with the request type (as the desk and filing use the classifier:
the type is always known there) and from the text alone: of the stored model on the file; or,
beside a plain baseline (TF-IDF + logistic regression) on the same split, of a model trained on
`--train FILE`, or k-fold cross-validated on the file itself with `--folds K`."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aspa.errors import DomainError
from aspa.routing import operations, queries
from aspa.routing.classifier import Example, evaluate
from aspa.routing.models import ClassifierModel
from aspa.routing.training import Comparison, clean, compare, cross_validate, table

REQUIRED = ("text", "lang", "service", "department")
PROBLEMS_SHOWN = 20


def read_examples(path: str, problems: list[str] | None = None) -> list[Example]:
    """The examples of a JSON-lines file. Each line that cannot be one is described in `problems`
    (with its number) and skipped."""
    problems = problems if problems is not None else []
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not JSON ({error.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"line {number}: not an object")
            continue
        # An empty text, language or department is the cleaning's to report (training.clean).
        missing = [key for key in REQUIRED if not isinstance(row.get(key), str)
                   or (key == "service" and not row[key].strip())]
        if missing:
            problems.append(f"line {number}: missing {', '.join(missing)}")
            continue
        request_type = row.get("type") if isinstance(row.get("type"), str) else ""
        examples.append(Example(row["text"], row["lang"].strip(), row["service"].strip(), row["department"].strip(),
                                request_type or ""))
    return examples


def _figures(figures: dict) -> str:
    text = figures.get("text_only", {})
    return (f"service top-1 {text.get('service_top1', 0):.3f} top-3 {text.get('service_top3', 0):.3f}, "
            f"department top-1 {text.get('department_top1', 0):.3f} top-3 {text.get('department_top3', 0):.3f} "
            f"(score {figures.get('score', 0):.3f})")


class Command(BaseCommand):
    help = "Train the routing classifier, or measure it on a labelled file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="Train the classifier and store it in the database")
        train.add_argument("file", nargs="?", help="JSON lines with text, lang, service, department")
        train.add_argument("--from-requests", action="store_true",
                           help="Also learn from the city's own resolved and closed requests")
        train.add_argument("--keep-unknown-services", action="store_true",
                           help="Learn services that are not in the catalogue too (suggested, never applied)")
        train.add_argument("--folds", type=int, default=5,
                           help="cross-validate the new model on its data (0: do not); it replaces the model in "
                                "use only if its figures are at least as good")
        train.add_argument("--publish", action="store_true", help="use the new model whatever its figures")
        train.add_argument("--min-new", type=int, default=0,
                           help="with --from-requests: train only if at least this many requests were resolved or "
                                "closed since the model in use was trained")
        publish = sub.add_parser("publish", help="Use a stored model (a candidate, or an earlier one to restore)")
        publish.add_argument("model", type=int, help="the model's number (see `aspa routing models`)")
        sub.add_parser("models", help="List the stored models, their figures and which one is in use")
        measure = sub.add_parser("evaluate", help="Print top-1 and top-3 accuracy for service and department")
        measure.add_argument("file", help="JSON lines with text, lang, service, department")
        measure.add_argument("--folds", type=int, default=0,
                             help="k-fold cross-validation on the file itself, beside the plain baseline")
        measure.add_argument("--train", dest="train_file", default="",
                             help="train Aspa's model and the baseline on this file and measure both on FILE")
        measure.add_argument("--seed", type=int, default=0, help="the folds' shuffle")

    def say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def handle(self, *args, **options):
        try:
            if options["action"] == "train":
                self.train(options.get("file"), options["from_requests"], options["keep_unknown_services"],
                           folds=options["folds"], publish=options["publish"] or None, min_new=options["min_new"])
            elif options["action"] == "publish":
                self.publish(options["model"])
            elif options["action"] == "models":
                self.list_models()
            else:
                self.evaluate(options["file"], options["folds"], options["train_file"], options["seed"])
        except DomainError as error:
            details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.fields.items())
            raise CommandError(f"{error.message} {details}".strip()) from None

    def read(self, path: str) -> list[Example]:
        problems: list[str] = []
        examples = read_examples(path, problems)
        if problems:
            self.say(f"{path}: {len(problems)} lines skipped:")
            for problem in problems[:PROBLEMS_SHOWN]:
                self.say(f"  {problem}")
            if len(problems) > PROBLEMS_SHOWN:
                self.say(f"  … and {len(problems) - PROBLEMS_SHOWN} more")
        return examples

    def train(self, path: str | None, from_requests: bool, keep_unknown: bool, *, folds: int, publish: bool | None,
              min_new: int) -> None:
        if not path and not from_requests:
            raise CommandError("Give a file, --from-requests, or both.")
        current = queries.published_classifier_model()
        if from_requests and min_new > 0 and current is not None:
            new = queries.closed_requests_since(current.created_at)
            if new < min_new:
                self.stdout.write(f"Not trained: {new} requests resolved or closed since model {current.pk} was "
                                  f"trained, fewer than {min_new}.")
                return
        examples: list[Example] = []
        sources = []
        if path:
            examples += self.read(path)
            sources.append(Path(path).name)
            self.say(f"Read {len(examples)} examples from {path}.")
        if from_requests:
            own = queries.closed_request_examples()
            examples += own
            sources.append("closed requests")
            corrected = sum(1 for example in own if example.corrected)
            self.say(f"Read {len(own)} resolved and closed requests ({corrected} with a suggested service an "
                     "advisor corrected).")
        started = time.monotonic()
        model = operations.train_classifier(
            examples, source=" + ".join(sources), trained_by="aspa routing train", keep_unknown=keep_unknown,
            folds=folds, publish=publish,
            on_report=lambda report: self.say("\n".join(["Training data:", *report.lines()])),
            progress=lambda step: self.say(f"Training: {step} ({time.monotonic() - started:.0f} s) …"))
        summary = model.summary
        self.stdout.write(
            f"Trained on {summary['examples']} examples and {summary['catalogue_examples']} catalogue texts: "
            f"{summary['services']} services in {summary['departments']} departments, languages "
            f"{', '.join(f'{k} {v}' for k, v in summary['languages'].items())}; {summary['seconds']} s.")
        if model.figures:
            self.stdout.write(f"Cross-validated ({model.figures['folds']} folds), text only: {_figures(model.figures)}")
        if model.is_active:
            self.stdout.write(f"Stored as model {model.pk} and published: every worker uses it from its next "
                              "suggestion.")
        else:
            self.stdout.write(
                f"Stored as model {model.pk}, a candidate: its score {model.figures.get('score', 0):.3f} is below "
                f"{current.figures.get('score', 0) if current else 0:.3f} of model {current.pk if current else '-'} "
                f"in use. Publish it with `aspa routing publish {model.pk}` or in the admin.")

    def publish(self, number: int) -> None:
        model = ClassifierModel.objects.defer("model").filter(pk=number).first()
        if model is None:
            raise CommandError(f"There is no model {number}; `aspa routing models` lists them.")
        operations.publish_classifier(model, by="aspa routing publish")
        self.stdout.write(f"Model {model.pk} (trained {model.created_at:%Y-%m-%d %H:%M}) is now in use.")

    def list_models(self) -> None:
        for model in ClassifierModel.objects.defer("model").order_by("-created_at", "-id"):
            state = "in use" if model.is_active else "       "
            figures = _figures(model.figures) if model.figures else "not cross-validated"
            self.stdout.write(f"{model.pk:>5} {state} {model.created_at:%Y-%m-%d %H:%M} {model.examples:>7} examples "
                              f"({model.source}); {figures}")

    def evaluate(self, path: str, folds: int, train_path: str, seed: int) -> None:
        if folds and train_path:
            raise CommandError("Give --folds or --train, not both.")
        examples, report = clean(self.read(path), keep_unknown=True)
        if report.kept < report.read:
            self.say("\n".join([f"{path}:", *report.lines()]))
        if not examples:
            raise CommandError(f"{path} has no example to measure on.")
        if folds or train_path:
            catalogue, departments = queries.catalogue_examples()
            accepts = queries.request_types_of_services()
            progress = self.say
            if folds:
                if not 2 <= folds <= len(examples):
                    raise CommandError(f"--folds must be between 2 and the number of examples ({len(examples)}).")
                comparison = cross_validate(examples, folds, seed=seed, catalogue=catalogue, departments=departments,
                                            accepts=accepts, progress=progress)
            else:
                train, _report = clean(self.read(train_path), keep_unknown=True)
                if len({example.service for example in train}) < 2:
                    raise CommandError(f"{train_path} needs examples of at least two services.")
                comparison = compare(train, examples, catalogue=catalogue, departments=departments, accepts=accepts,
                                     progress=progress)
            self.print_comparison(comparison, folds, train_path)
            return
        classifier = queries.current_classifier()
        if classifier is None:
            raise CommandError("No classifier has been trained yet: run `aspa routing train FILE.jsonl` first.")
        typed = sum(1 for example in examples if example.type)
        self.stdout.write(f"examples: {len(examples)} ({typed} with a request type)")
        runs = [("text and request type", True), ("text only", False)] if typed else [("text only", False)]
        for title, use_types in runs:
            self.say(f"Evaluating ({title}) …")
            accuracy = evaluate(classifier, examples, use_types=use_types,
                                progress=lambda done, total: self.say(f"  {done}/{total}"))
            self.stdout.write(f"{title}:")
            self.stdout.write(f"  service     top-1 {accuracy.service_top1:.3f}  top-3 {accuracy.service_top3:.3f}")
            self.stdout.write(f"  department  top-1 {accuracy.department_top1:.3f}  "
                              f"top-3 {accuracy.department_top3:.3f}")
        self.stdout.write("(For the plain baseline beside these, use --train FILE or --folds K.)")

    def print_comparison(self, comparison: Comparison, folds: int, train_path: str) -> None:
        how = f"{folds}-fold cross-validation" if folds else f"trained on {train_path}"
        self.stdout.write(f"examples: {comparison.examples} ({how}; {comparison.seconds:.0f} s)")
        if comparison.unseen:
            self.stdout.write(f"{comparison.unseen} examples are of a service their training data did not have "
                              "(a miss for both models)")
        for line in table(comparison):
            self.stdout.write(line)
