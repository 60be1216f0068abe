"""Measuring the search against questions with known relevant articles."""

from dataclasses import dataclass, field

from aspa.knowledge import search
from aspa.knowledge.models import Article


@dataclass
class Report:
    questions: int = 0
    answerable: int = 0
    unanswerable: int = 0
    recall_at_3: float = 0.0
    mrr_at_10: float = 0.0
    no_confident_hit: float = 0.0
    confident_when_answerable: float = 0.0
    misses: list[str] = field(default_factory=list)


def evaluate(questions: list[dict]) -> Report:
    """Questions are {"text", "lang", "relevant": [external ids]}; an empty list means that the
    knowledge base has no answer, and the right result is no confident hit."""
    external_ids = dict(Article.objects.values_list("pk", "external_id"))
    report = Report(questions=len(questions))
    found_in_3 = reciprocal = quiet = confident = 0.0
    for question in questions:
        hits = search.search(question["text"], language=question.get("lang"), limit=10)
        ranked = [external_ids.get(hit.article_id) for hit in hits]
        relevant = set(question.get("relevant") or [])
        is_confident = bool(hits) and hits[0].confidence >= search.CONFIDENT
        if not relevant:
            report.unanswerable += 1
            quiet += not is_confident
            continue
        report.answerable += 1
        confident += is_confident
        rank = next((position for position, item in enumerate(ranked, start=1) if item in relevant), None)
        if rank is not None and rank <= 3:
            found_in_3 += 1
        if rank is not None:
            reciprocal += 1 / rank
        if rank is None or rank > 3:
            report.misses.append(f"{question.get('id', '')} rank={rank} got={ranked[:3]} want={sorted(relevant)}")
    if report.answerable:
        report.recall_at_3 = found_in_3 / report.answerable
        report.mrr_at_10 = reciprocal / report.answerable
        report.confident_when_answerable = confident / report.answerable
    if report.unanswerable:
        report.no_confident_hit = quiet / report.unanswerable
    return report
