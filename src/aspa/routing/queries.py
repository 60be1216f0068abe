"""Reads of the routing app: the active rule table and the current classifier (each parsed or
unpickled once per process and reloaded when a newer one is in the database), the facts a rule
sees of a request, and the training examples the catalogue and closed requests give."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from aspa.catalogue.models import Department, ExternalOrganisation, Service
from aspa.errors import DomainError, InvalidInput
from aspa.requests.models import RequestEvent, ServiceRequest, Status
from aspa.routing.classifier import Classifier, Example, Suggestion
from aspa.routing.models import ClassifierModel, RuleSet
from aspa.routing.rules import RuleTable, parse

logger = logging.getLogger(__name__)
LANGUAGES = ("fi", "sv", "en")
MAX_TEXT = 20_000

# Per process, keyed by (primary key, time of upload or training): a web worker asks the database
# which one is current (one indexed query) and parses or unpickles only when that changed. The
# time is part of the key because SQLite may give a deleted row's number to the next one.
_tables: dict[tuple, RuleTable] = {}
_classifier: dict[str, tuple[tuple, Classifier]] = {}
# The current classifier's latest answers, by question. The desk's request page asks the same
# request's question each time it is opened, and again after every action on it; ranking costs
# milliseconds of feature extraction, remembering nothing. Emptied when another model is loaded.
_answers: dict[tuple, tuple[Suggestion, ...]] = {}
ANSWERS_KEPT = 256


class NoClassifier(DomainError):
    status_code = 409
    code = "no_classifier"

    def __init__(self):
        super().__init__(_("No routing classifier has been trained yet: run “aspa routing train”."))


def table_of(rule_set: RuleSet) -> RuleTable:
    key = (rule_set.pk, rule_set.uploaded_at)
    table = _tables.get(key)
    if table is None:
        table = parse(RuleSet.objects.values_list("dmn", flat=True).get(pk=rule_set.pk))
        if len(_tables) > 4:  # the active version and the ones being tried are worth keeping
            _tables.clear()
        _tables[key] = table
    return table


def active_rule_set() -> RuleSet | None:
    return RuleSet.objects.filter(is_active=True).defer("dmn").first()


def active_table() -> tuple[RuleSet, RuleTable] | None:
    rule_set = active_rule_set()
    if rule_set is None:
        return None
    return rule_set, table_of(rule_set)


def published_classifier_model() -> ClassifierModel | None:
    return ClassifierModel.objects.filter(is_active=True).defer("model").first()


def _loaded_classifier() -> tuple[tuple, Classifier] | None:
    """The published classifier and its key (its number and time of publication)."""
    latest = ClassifierModel.objects.filter(is_active=True).values_list("pk", "published_at").first()
    if latest is None:
        return None
    cached = _classifier.get("current")
    if cached is None or cached[0] != latest:
        data = ClassifierModel.objects.values_list("model", flat=True).get(pk=latest[0])
        cached = (latest, Classifier.loads(data))
        _classifier["current"] = cached
        _answers.clear()
    return cached


def current_classifier() -> Classifier | None:
    loaded = _loaded_classifier()
    return loaded[1] if loaded is not None else None


def clean_text(text: str | None, language: str | None) -> tuple[str, str]:
    text = (text or "").strip()
    fields = {}
    if not text:
        fields["text"] = [_("This field is required.")]
    elif len(text) > MAX_TEXT:
        fields["text"] = [_("The text is too long.")]
    if language not in LANGUAGES:
        fields["language"] = [_("Must be one of: %(values)s.") % {"values": ", ".join(LANGUAGES)}]
    if fields:
        raise InvalidInput(fields)
    return text, language


def suggest(text: str | None, language: str | None, limit: int = 3, type: str | None = None) -> list[Suggestion]:
    """The best services and their departments for a free text, best first; with a request type,
    only services that take requests of that type."""
    text, language = clean_text(text, language)
    loaded = _loaded_classifier()
    if loaded is None:
        raise NoClassifier()
    model, classifier = loaded
    question = (model, text, language, limit, type)
    answer = _answers.get(question)
    if answer is None:
        answer = tuple(classifier.suggest(text, language, limit, type=type))
        if len(_answers) >= ANSWERS_KEPT:
            _answers.clear()
        _answers[question] = answer
    return list(answer)


@dataclass(frozen=True)
class ShownSuggestion:
    service: Service
    department: Department | None
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def suggestions_to_show(text: str | None, language: str | None, limit: int = 3,
                        type: str | None = None) -> list[ShownSuggestion] | None:
    """The suggestions as pages and searches use them: with their active services and departments;
    one under a per cent is no suggestion worth an advisor's time. None when no classifier is
    trained or it fails (logged): whatever asks must work without it; [] for a text it cannot read."""
    try:
        found = suggest(text, language, limit, type=type)
    except NoClassifier:
        return None
    except DomainError:
        return []
    except Exception:
        # The stored model could not be loaded or run; the log says why.
        logger.exception("The routing classifier failed")
        return None
    services = Service.objects.in_bulk([item.service for item in found], field_name="code")
    departments = Department.objects.in_bulk([item.department for item in found], field_name="code")
    return [ShownSuggestion(services[item.service], departments.get(item.department), item.score)
            for item in found if item.service in services and services[item.service].active
            and round(item.score * 100) >= 1]


# ----------------------------------------------------------------- facts of a request


@dataclass(frozen=True)
class Facts:
    service: str | None = None
    type: str | None = None
    channel: str | None = None
    language: str | None = None
    segments: tuple[str, ...] = ()
    postal_code: str = ""
    text: str = ""
    product: str | None = None

    def as_dict(self) -> dict:
        return {**self.__dict__, "segments": list(self.segments)}


def _code(item) -> str | None:
    return item.code if item is not None else None


def facts_of(service_request: ServiceRequest) -> Facts:
    """What a routing rule may ask about a request: its classification, channel and language, the
    customer's segments and the postal code of their primary address."""
    segments: tuple[str, ...] = ()
    postal_code = ""
    if service_request.party_id is not None:
        party = service_request.party
        segments = tuple(party.segments.order_by("code").values_list("code", flat=True))
        postal_code = (party.contact_points.filter(kind="address").order_by("-is_primary", "id")
                       .values_list("postal_code", flat=True).first() or "")
    return Facts(service=_code(service_request.service), type=_code(service_request.type),
                 channel=_code(service_request.channel), language=service_request.language,
                 segments=segments, postal_code=postal_code, text=service_request.description,
                 product=_code(service_request.product))


# ----------------------------------------------------------------- training data


def catalogue_examples() -> tuple[list[Example], list[Example]]:
    """What the service catalogue itself says about each active service (names, descriptions,
    keywords and products in fi/sv/en), and about each department (its and its teams' names).

    These are examples too: a service nobody has asked about yet is still suggested by its words.
    The other organisations' names and guidance are examples of the guidance service
    (ROUTING_GUIDANCE_SERVICE): a question about a Kela benefit is the centre's to answer by
    guiding, not the city department whose topic it resembles."""
    services: list[Example] = []
    for service in Service.objects.filter(active=True).select_related("department").prefetch_related("products"):
        department = service.department.code
        for language in LANGUAGES:
            texts = [getattr(service, f"name_{language}"), getattr(service, f"description_{language}")]
            texts += [getattr(product, f"name_{language}") for product in service.products.all()]
            services += [Example(text, language, service.code, department) for text in texts if text]
        services += [Example(keyword.strip(), "fi", service.code, department)
                     for keyword in service.keywords.split(",") if keyword.strip()]
    services += _guidance_examples()
    departments: list[Example] = []
    for department in Department.objects.filter(active=True).prefetch_related("teams"):
        for language in LANGUAGES:
            names = [getattr(department, f"name_{language}")]
            names += [getattr(team, f"name_{language}") for team in department.teams.all()]
            departments += [Example(name, language, "", department.code) for name in names if name]
    return services, departments


def _guidance_examples() -> list[Example]:
    guidance = (Service.objects.filter(code=settings.ROUTING_GUIDANCE_SERVICE, active=True)
                .select_related("department").first())
    if guidance is None:
        return []
    examples = []
    for organisation in ExternalOrganisation.objects.filter(active=True):
        for language in LANGUAGES:
            texts = [getattr(organisation, f"name_{language}"), getattr(organisation, f"guidance_{language}")]
            examples += [Example(text, language, guidance.code, guidance.department.code) for text in texts if text]
    return examples


def catalogue_services() -> dict[str, tuple[str, bool]]:
    """Every service of the catalogue: its department's code and whether it is active."""
    return {code: (department, active) for code, department, active
            in Service.objects.values_list("code", "department__code", "active")}


def request_types_of_services() -> dict[str, frozenset[str]]:
    accepted: dict[str, set[str]] = {}
    for service, request_type in Service.request_types.through.objects.values_list("service__code",
                                                                                 "requesttype__code"):
        accepted.setdefault(service, set()).add(request_type)
    return {service: frozenset(types) for service, types in accepted.items()}


def _closed_requests():
    return ServiceRequest.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED], service__isnull=False)


def closed_request_examples() -> list[Example]:
    """The city's own resolved and closed requests with a service: what advisors finally decided.
    A request whose service a suggestion gave at filing and an advisor then changed is marked
    `corrected`: the final service is what it learns, like any other."""
    # The service's owning department, not where the request ended up: a forwarded request's
    # department is the expert's, and the classifier learns one department per service.
    rows = (_closed_requests()
            .values_list("pk", "description", "language", "service__code", "service__department__code", "type__code")
            .order_by("id"))
    suggested = {}
    for request_id, data in (RequestEvent.objects.filter(kind="routed", request__in=_closed_requests())
                             .values_list("request_id", "data").iterator()):
        if isinstance(data, dict) and isinstance(data.get("suggestion"), dict):
            suggested[request_id] = data["suggestion"].get("service")
    return [Example(text, language if language in LANGUAGES else "fi", service, department, request_type,
                    corrected=request_id in suggested and suggested[request_id] != service)
            for request_id, text, language, service, department, request_type in rows.iterator()]


def closed_requests_since(moment) -> int:
    """Requests resolved or closed with a service after `moment`: new lessons since a model was trained."""
    return _closed_requests().filter(Q(resolved_at__gt=moment) | Q(closed_at__gt=moment)).count()


def last_routing(service_request: ServiceRequest) -> RequestEvent | None:
    return service_request.events.filter(kind="routed").order_by("-id").first()
