"""`aspa kb import|search|evaluate|reindex|remind`: the knowledge base from the console."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aspa.errors import DomainError
from aspa.knowledge import evaluation, index, operations, queries


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
        measure = sub.add_parser("evaluate", help="Recall@3, MRR@10 and no-answer precision of questions, "
                                 "beside a plain BM25 baseline")
        measure.add_argument("file")
        how = measure.add_mutually_exclusive_group()
        how.add_argument("--folds", type=int, help="Cross-validate: parameters chosen on the other folds")
        how.add_argument("--tune-on", metavar="FILE", help="Choose the parameters on these questions")
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
                self._evaluate(Path(options["file"]), options)
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

    def _questions(self, path: Path) -> list[evaluation.Question]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        questions, problems = evaluation.read_questions(lines, evaluation.known_article_ids())
        for problem in problems:
            self.stderr.write(f"{path}: {problem}")
        if not questions:
            raise CommandError(f"{path}: no question to evaluate.")
        return questions

    def _evaluate(self, path: Path, options) -> None:
        questions = self._questions(path)
        folds = options["folds"]
        if folds is not None and not 2 <= folds <= len(questions):
            raise CommandError(f"--folds must be between 2 and the number of questions ({len(questions)}).")

        def progress(line: str) -> None:
            self.stderr.write(line)

        if folds:
            comparison = evaluation.cross_validate(questions, folds, progress=progress)
            self.stdout.write(f"{folds}-fold cross-validation: each fold measured with the parameters chosen "
                              "on the other folds; figures over all questions")
        elif options["tune_on"]:
            comparison = evaluation.tuned_on(self._questions(Path(options["tune_on"])), questions,
                                             progress=progress)
            self.stdout.write(f"Parameters chosen on {options['tune_on']}")
        else:
            comparison = evaluation.as_deployed(questions)
            self.stdout.write("Deployed parameters; the baseline's no-answer threshold needs --folds or --tune-on")
        self._report(comparison, verbose=options["verbose"])

    def _report(self, comparison: evaluation.Comparison, *, verbose: bool) -> None:
        aspa, base = comparison.aspa, comparison.baseline

        def share(value: float | None) -> str:
            return "–" if value is None else f"{value:.3f}"

        def spread(name: str) -> str:
            found = [comparison.spread(system, name) for system in ("aspa", "baseline")]
            if None in found:
                return ""
            return "   by fold (Aspa, baseline): " + "  ".join(
                f"{pair[0]:.3f} ± {pair[1]:.3f}" for pair in found if pair is not None)

        rows = [("questions", str(aspa.questions), ""), ("with a relevant article", str(aspa.answerable), ""),
                ("recall@3", share(aspa.recall_at_3), share(base.recall_at_3) + spread("recall_at_3")),
                ("MRR@10", share(aspa.mrr_at_10), share(base.mrr_at_10) + spread("mrr_at_10")),
                ("no relevant article", str(aspa.unanswerable), ""),
                ("no-answer precision", share(aspa.no_answer_precision), share(base.no_answer_precision)),
                ("  share with no confident hit", share(aspa.no_answer_recall), share(base.no_answer_recall)),
                ("answerable with confident hit", share(aspa.confident_when_answerable),
                 share(base.confident_when_answerable))]
        self.stdout.write(f"{'':31}{'Aspa':>8}  {'BM25+Snowball':>13}")
        for name, mine, theirs in rows:
            self.stdout.write(f"{name:31}{mine:>8}  {theirs}".rstrip())
        for number, choice in enumerate(comparison.choices, start=1):
            label = f"fold {number}" if comparison.folds else "parameters"
            tuning = choice.tuning
            self.stdout.write(f"{label}: k1={tuning.k1} b={tuning.b} other languages below "
                              f"{tuning.other_languages_below} weighted {tuning.other_languages_weight}; "
                              f"confidence weights {', '.join(f'{weight:.3f}' for weight in choice.confidence.weights)}"
                              f" bias {choice.confidence.bias:.3f} "
                              f"(baseline: score {choice.baseline_threshold:.2f})")
        if comparison.folds:
            tuning = evaluation.most_chosen(comparison.choices)
            self.stdout.write(f"most chosen: k1={tuning.k1} b={tuning.b} other languages below "
                              f"{tuning.other_languages_below} weighted {tuning.other_languages_weight}")
        if verbose:
            for miss in aspa.misses:
                self.stdout.write(f"MISS {miss}")
