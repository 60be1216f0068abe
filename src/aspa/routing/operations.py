"""Changes the routing app makes: rule-set versions (upload, publish), routing a request when it is
filed or reclassified, and training the classifier.

Routing a request runs inside the filing's or the classification's transaction (from the requests
app's signals) and writes through requests.operations.record_routing, so the decision commits or
rolls back with the change that caused it."""

import datetime
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.catalogue.models import Department, Service, Team
from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.models import Role, User
from aspa.requests import operations as request_operations
from aspa.requests.models import ServiceRequest
from aspa.requests.workdays import add_working_days, due_date_for
from aspa.routing import queries
from aspa.routing.classifier import Classifier, Example, Suggestion
from aspa.routing.models import ClassifierModel, RuleSet
from aspa.routing.rules import Decision, RuleFileError, RuleTable, parse
from aspa.routing.training import Report, clean, cross_validate, figures_of

logger = logging.getLogger(__name__)
# Examples cross-validated when a model is trained (a random sample of a larger history).
CROSS_VALIDATED = 10_000


def _require_administrator(actor: User) -> None:
    """Administrators, and the superusers that `createsuperuser` makes (whose role is not set)."""
    if not (actor.is_authenticated and actor.is_active and (actor.role == Role.ADMIN or actor.is_superuser)):
        raise Forbidden()


# ----------------------------------------------------------------- rule sets


def _check_codes(table: RuleTable) -> None:
    """Every team and department a rule names must be in the catalogue."""
    wanted: dict[str, set[str]] = {"team": set(), "department": set()}
    for rule in table.rules:
        for entry in rule.outputEntries:
            if entry.text and entry.output.name in wanted:
                wanted[entry.output.name].add(entry.text.strip().strip("\"'"))
    for kind, model in (("team", Team), ("department", Department)):
        missing = sorted(wanted[kind] - set(model.objects.filter(code__in=wanted[kind]).values_list("code", flat=True)))
        if missing:
            raise InvalidInput({"file": [_("The rules name a %(kind)s that is not in the catalogue: %(codes)s.")
                                         % {"kind": kind, "codes": ", ".join(missing)}]})


def check_rule_file(content: bytes) -> RuleTable:
    """The parsed table, or InvalidInput on `file` with the parser's message."""
    try:
        content.decode("utf-8")
        table = parse(content)
    except UnicodeDecodeError:
        raise InvalidInput({"file": [_("The file is not UTF-8 text.")]}) from None
    except RuleFileError as error:
        raise InvalidInput({"file": [str(error)]}) from error
    _check_codes(table)
    return table


def upload_rule_set(actor: User, *, content: bytes, file_name: str, comment: str = "") -> RuleSet:
    """Store a new version of the rules. It is not used until it is published."""
    _require_administrator(actor)
    table = check_rule_file(content)
    try:
        with transaction.atomic():
            last = RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0
            return RuleSet.objects.create(version=last + 1, name=table.name[:200], file_name=file_name[:200],
                                          dmn=content.decode("utf-8"), comment=comment.strip()[:500],
                                          uploaded_by=actor, uploaded_at=timezone.now())
    except IntegrityError:
        # Two uploads at the same moment took the same number; the later one may simply retry.
        raise Conflict(_("Another version was uploaded at the same moment; upload again.")) from None


@transaction.atomic
def publish_rule_set(actor: User, rule_set: RuleSet) -> RuleSet:
    """Make this version the one that routes requests. The switch is one transaction: every
    request is routed either by the old version or by the new one, never by none."""
    _require_administrator(actor)
    check_rule_file(rule_set.dmn.encode())  # the catalogue may have changed since the upload
    # Rows locked in a fixed order, so two administrators publishing at once wait for each other.
    list(RuleSet.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    RuleSet.objects.filter(is_active=True).exclude(pk=rule_set.pk).update(is_active=False)
    now = timezone.now()
    RuleSet.objects.filter(pk=rule_set.pk).update(is_active=True, published_by=actor, published_at=now)
    rule_set.is_active, rule_set.published_by, rule_set.published_at = True, actor, now
    return rule_set


def try_rule_set(actor: User, rule_set: RuleSet, facts: queries.Facts) -> Decision | None:
    """Run a version against a sample request without changing anything."""
    _require_administrator(actor)
    try:
        return queries.table_of(rule_set).decide(facts.as_dict())
    except RuleFileError as error:
        raise InvalidInput({"file": [str(error)]}) from error


# ----------------------------------------------------------------- routing a request


def _decide(facts: queries.Facts) -> tuple[RuleSet, Decision] | None:
    active = queries.active_table()
    if active is None:
        return None
    rule_set, table = active
    try:
        decision = table.decide(facts.as_dict())
    except RuleFileError:
        # A rule that fails on this request (say, a number compared with text) must not stop the
        # filing: the request stays where it was, and the log tells the administrator.
        logger.exception("Routing rules v%s failed on a request", rule_set.version)
        return None
    return (rule_set, decision) if decision is not None else None


def _confident_suggestion(service_request: ServiceRequest) -> Suggestion | None:
    """The classifier's best service, if its score reaches the configured confidence and the service
    takes requests of this type."""
    threshold = settings.ROUTING_AUTO_APPLY_CONFIDENCE
    if threshold > 1:
        return None
    try:
        classifier = queries.current_classifier()
        if classifier is None:
            return None
        suggestions = classifier.suggest(service_request.description, service_request.language, limit=1,
                                         type=service_request.type.code)
    except Exception:
        # A model that cannot be loaded (say, pickled by another scikit-learn version) must not stop
        # the filing; the request waits to be classified by hand.
        logger.exception("The routing classifier failed")
        return None
    if not suggestions or suggestions[0].score < threshold:
        return None
    best = suggestions[0]
    if not Service.objects.filter(code=best.service, active=True, request_types=service_request.type_id).exists():
        return None
    return best


def _due(service_request: ServiceRequest, days: int) -> datetime.date:
    return add_working_days(timezone.localdate(service_request.created_at), days)


def _changes_of(decision: Decision, service_request: ServiceRequest) -> dict:
    outputs = decision.outputs
    changes: dict = {}
    if outputs.get("team"):
        team = Team.objects.filter(code=outputs["team"], active=True).select_related("department").first()
        if team is None:
            logger.warning("Routing rule %s names an unknown team %s", decision.rule, outputs["team"])
        else:
            changes["team"] = team
            changes["department"] = team.department
    if outputs.get("department"):
        department = Department.objects.filter(code=outputs["department"], active=True).first()
        if department is None:
            logger.warning("Routing rule %s names an unknown department %s", decision.rule, outputs["department"])
        else:
            changes["department"] = department
            team = changes.get("team", service_request.team)
            if team is not None and team.department_id != department.pk:
                changes["team"] = None  # a team of another department no longer fits
    if outputs.get("priority"):
        changes["priority"] = outputs["priority"]
    if outputs.get("service_days"):
        changes["due_date"] = _due(service_request, int(outputs["service_days"]))
    return changes


def _described(service_request: ServiceRequest, changes: dict) -> dict:
    def plain(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return getattr(value, "code", value)

    return {field: {"from": plain(getattr(service_request, field)), "to": plain(value)}
            for field, value in changes.items() if getattr(service_request, field) != value}


def route_request(service_request: ServiceRequest, *, trigger: str) -> None:
    """Apply the active rules (and, for a new request that nobody classified, a confident
    suggestion of the classifier) and write the decision into the request's history."""
    facts = queries.facts_of(service_request)
    changes: dict = {}
    suggestion = None
    decided = _decide(facts)
    if decided is None and trigger == "filed" and service_request.service_id is None:
        suggestion = _confident_suggestion(service_request)
        if suggestion is not None:
            service = Service.objects.select_related("department").get(code=suggestion.service)
            changes.update(service=service, department=service.department,
                           due_date=due_date_for(timezone.localdate(service_request.created_at), service))
            decided = _decide(replace(facts, service=service.code))
    if decided is not None:
        changes.update(_changes_of(decided[1], service_request))
    if decided is None and suggestion is None:
        return
    data: dict = {"trigger": trigger, "changes": _described(service_request, changes)}
    if decided is not None:
        rule_set, decision = decided
        data["rule_set"] = {"version": rule_set.version, "name": rule_set.name}
        data["rule"] = decision.as_dict()
    if suggestion is not None:
        data["suggestion"] = {"service": suggestion.service, "department": suggestion.department,
                              "score": suggestion.score, "threshold": settings.ROUTING_AUTO_APPLY_CONFIDENCE}
    request_operations.record_routing(service_request, changes=changes, data=data)


# ----------------------------------------------------------------- the classifier


def _figures(examples: Sequence[Example], folds: int, catalogue, departments, accepts,
             progress: Callable[[str], None]) -> dict:
    """Cross-validated figures of the model on its own training data (at most CROSS_VALIDATED
    examples of it, drawn with a fixed seed: enough to tell two models apart, in a fraction of the
    time of a whole large history)."""
    if folds < 2 or len(examples) < 2 * folds:
        return {}
    sample = list(examples)
    if len(sample) > CROSS_VALIDATED:
        sample = random.Random(0).sample(sample, CROSS_VALIDATED)
    comparison = cross_validate(sample, folds, catalogue=catalogue, departments=departments, accepts=accepts,
                                baseline=False, progress=lambda step: progress(f"cross-validation, {step}"))
    return figures_of(comparison.aspa, folds)


def train_classifier(examples: Sequence[Example], *, source: str, trained_by: str, keep_unknown: bool = False,
                     folds: int = 0, publish: bool | None = None,
                     progress: Callable[[str], None] = lambda message: None,
                     on_report: Callable[[Report], None] = lambda report: None) -> ClassifierModel:
    """Clean the examples (training.clean: what is set aside and why goes into the model's
    summary), train on them plus what the catalogue says of each service, and store the model.

    With `folds`, the model is also cross-validated on its own data. It is published (every worker
    uses it from its next suggestion) when `publish` says so, or, by default, when no model is in
    use or its figures are at least those of the one in use (the mean of top-1 and top-3, service
    and department, from the text alone); otherwise it is kept as a candidate for an administrator."""
    started = time.monotonic()
    examples, report = clean(examples, queries.catalogue_services(), keep_unknown=keep_unknown)
    on_report(report)
    if not examples:
        raise InvalidInput({"examples": [_("There are no examples to train on.")]})
    catalogue, departments = queries.catalogue_examples()
    accepts = queries.request_types_of_services()
    try:
        classifier = Classifier.train(examples, departments, accepts=accepts, catalogue=catalogue, progress=progress)
        figures = _figures(examples, folds, catalogue, departments, accepts, progress)
    except ValueError as error:
        raise InvalidInput({"examples": [str(error)]}) from error
    summary = {
        "examples": len(examples), "catalogue_examples": len(catalogue),
        "services": len(classifier.owner), "departments": len(set(classifier.owner.values())),
        "languages": dict(sorted(Counter(example.language for example in examples).items())),
        "seconds": round(time.monotonic() - started, 1), "report": report.as_dict(),
        "corrected_suggestions": sum(1 for example in examples if example.corrected),
    }
    model = ClassifierModel.objects.create(created_at=timezone.now(), trained_by=trained_by[:150],
                                           source=source[:300], examples=len(examples), summary=summary,
                                           figures=figures, model=classifier.dumps())
    current = queries.published_classifier_model()
    if publish is None:
        publish = current is None or not (figures and current.figures) or \
            figures["score"] >= current.figures.get("score", 0)
    if publish:
        publish_classifier(model, by=trained_by)
    return model


@transaction.atomic
def publish_classifier(model: ClassifierModel, *, by: User | str) -> ClassifierModel:
    """Make this model the one every worker uses from its next suggestion: a new one, a candidate
    that did not beat the model in use, or an earlier one restored."""
    if isinstance(by, User):
        _require_administrator(by)
        by = by.get_username()
    # Rows locked in a fixed order, so two publications at once wait for each other.
    list(ClassifierModel.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    ClassifierModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    now = timezone.now()
    ClassifierModel.objects.filter(pk=model.pk).update(is_active=True, published_at=now, published_by=by[:150])
    model.is_active, model.published_at, model.published_by = True, now, by[:150]
    return model
