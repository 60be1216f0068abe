"""`aspa kb import|search|evaluate|reindex|remind`: the knowledge base from the console."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aspa.errors import DomainError
from aspa.knowledge import index, operations, queries
from aspa.knowledge.evaluation import evaluate


class Command(BaseCommand):
    help = "Import, search and evaluate the knowledge base; rebuild its index; remind owners of reviews."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Import articles from JSON lines (re-import updates by id)")
        load.add_argument("file")
        find = sub.add_parser("search", help="Print the external ids of the best articles, best first")
        find.add_argument("question")
        find.add_argument("--lang", choices=["fi", "sv", "en"])
        find.add_argument("--limit", type=int, default=10)
        find.add_argument("--verbose", action="store_true", help="Also print scores, confidence and titles")
        measure = sub.add_parser("evaluate", help="Recall@3, MRR@10 and no-answer precision of questions")
        measure.add_argument("file")
        measure.add_argument("--verbose", action="store_true", help="Also print the questions that missed")
        sub.add_parser("reindex", help="Analyse every article again")
        sub.add_parser("remind", help="Email owners the articles whose review is due")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "import":
                self._import(Path(options["file"]))
            elif action == "search":
                self._search(options)
            elif action == "evaluate":
                self._evaluate(Path(options["file"]), verbose=options["verbose"])
            elif action == "reindex":
                self.stdout.write(f"Indexed {index.rebuild_index()} articles.")
            else:
                self.stdout.write(f"Sent {operations.remind_reviewers()} reminder(s).")
        except DomainError as error:
            lines = [str(message) for messages in error.fields.values() for message in messages]
            raise CommandError("\n".join([str(error.message), *lines])) from None

    def _import(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as problem:
            raise CommandError(f"Cannot read {path}: {problem}") from None
        result = operations.import_articles(text.splitlines())
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(f"Imported {path}: {result.created} new, {result.updated} updated, "
                          f"{result.unchanged} unchanged.")

    def _search(self, options) -> None:
        for hit, article in queries.search_articles(options["question"], language=options["lang"],
                                                    limit=options["limit"], audiences=None):
            if options["verbose"]:
                self.stdout.write(f"{article.external_id or article.pk}\t{hit.score:.3f}\t{hit.confidence:.2f}\t"
                                  f"{article.title}")
            else:
                self.stdout.write(article.external_id or str(article.pk))

    def _evaluate(self, path: Path, *, verbose: bool) -> None:
        try:
            questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, ValueError) as problem:
            raise CommandError(f"Cannot read {path}: {problem}") from None
        report = evaluate(questions)
        self.stdout.write(f"questions                      {report.questions}")
        self.stdout.write(f"with a relevant article        {report.answerable}")
        self.stdout.write(f"recall@3                       {report.recall_at_3:.3f}")
        self.stdout.write(f"MRR@10                         {report.mrr_at_10:.3f}")
        self.stdout.write(f"no relevant article            {report.unanswerable}")
        self.stdout.write(f"  share with no confident hit  {report.no_confident_hit:.3f}")
        self.stdout.write(f"answerable with confident hit  {report.confident_when_answerable:.3f}")
        if verbose:
            for miss in report.misses:
                self.stdout.write(f"MISS {miss}")
