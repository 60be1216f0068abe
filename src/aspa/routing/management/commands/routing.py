"""`aspa routing train FILE.jsonl` and `aspa routing evaluate FILE.jsonl`.

A training or evaluation file has one JSON object per line with `text`, `lang` (fi, sv, en),
`service` and `department` (catalogue codes), and optionally the request `type`; other keys are
ignored. Evaluation reports the figures with the request type (as the desk and filing use the
classifier: the type is always known there) and from the text alone."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aspa.catalogue.models import Service
from aspa.errors import DomainError
from aspa.routing import operations, queries
from aspa.routing.classifier import Example, evaluate

REQUIRED = ("text", "lang", "service", "department")


def read_examples(path: str) -> list[Example]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}, line {number}: not JSON ({error.msg}).") from None
        if not isinstance(row, dict):
            raise CommandError(f"{path}, line {number}: expected an object.")
        missing = [key for key in REQUIRED if not isinstance(row.get(key), str) or not row[key].strip()]
        if missing:
            raise CommandError(f"{path}, line {number}: missing {', '.join(missing)}.")
        language = row["lang"] if row["lang"] in queries.LANGUAGES else "fi"
        request_type = row.get("type") if isinstance(row.get("type"), str) else ""
        examples.append(Example(row["text"], language, row["service"], row["department"], request_type))
    return examples


class Command(BaseCommand):
    help = "Train the routing classifier, or measure it on a labelled file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="Train the classifier and store it in the database")
        train.add_argument("file", nargs="?", help="JSON lines with text, lang, service, department")
        train.add_argument("--from-requests", action="store_true",
                           help="Also learn from the city's own resolved and closed requests")
        measure = sub.add_parser("evaluate", help="Print top-1 and top-3 accuracy for service and department")
        measure.add_argument("file", help="JSON lines with text, lang, service, department")

    def say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def handle(self, *args, **options):
        try:
            if options["action"] == "train":
                self.train(options.get("file"), options["from_requests"])
            else:
                self.evaluate(options["file"])
        except DomainError as error:
            details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.fields.items())
            raise CommandError(f"{error.message} {details}".strip()) from None

    def train(self, path: str | None, from_requests: bool) -> None:
        if not path and not from_requests:
            raise CommandError("Give a file, --from-requests, or both.")
        examples: list[Example] = []
        sources = []
        if path:
            examples += read_examples(path)
            sources.append(Path(path).name)
            self.say(f"Read {len(examples)} examples from {path}.")
        if from_requests:
            own = queries.closed_request_examples()
            examples += own
            sources.append("closed requests")
            self.say(f"Read {len(own)} resolved and closed requests.")
        known = set(Service.objects.values_list("code", flat=True))
        unknown = sorted({example.service for example in examples} - known)
        if unknown:
            self.say(f"Note: services not in the catalogue (suggested, but cannot be applied): {', '.join(unknown)}")
        started = time.monotonic()
        model = operations.train_classifier(
            examples, source=" + ".join(sources), trained_by="aspa routing train",
            progress=lambda step: self.say(f"Training the {step} model ({time.monotonic() - started:.0f} s) …"))
        summary = model.summary
        self.stdout.write(
            f"Trained on {summary['examples']} examples and {summary['catalogue_examples']} catalogue texts: "
            f"{summary['services']} services in {summary['departments']} departments, languages "
            f"{', '.join(f'{k} {v}' for k, v in summary['languages'].items())}; {summary['seconds']} s. "
            f"Stored as model {model.pk}; every worker uses it from its next suggestion.")

    def evaluate(self, path: str) -> None:
        examples = read_examples(path)
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
