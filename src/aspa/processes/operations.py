"""Every change to processes: publishing a version, starting a request's process, completing a
user task, running due timers. Each runs in one transaction that holds the instance's row lock;
the engine's state is saved in the same transaction as the step's effects (history, messages,
status), so a step either happened completely or not at all.

engine.py (SpiffWorkflow) is imported in the functions that parse or run a process, not at the
top: pages and the API import this module, and filing a request for a service without a process
needs none of it."""

import functools
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.catalogue.models import Department, Service, Team
from aspa.errors import Conflict, DomainError, Forbidden, InvalidInput
from aspa.identity.models import Role, User
from aspa.processes.history import record_event
from aspa.processes.models import ProcessDefinition, ProcessInstance, ProcessTask, ProcessVersion
from aspa.processes.queries import may_complete
from aspa.processes.services import OPERATORS, StepContext
from aspa.requests.models import ServiceRequest

if TYPE_CHECKING:
    from aspa.processes.engine import ParsedProcess, ScriptEngine

logger = logging.getLogger(__name__)

BPMN_DIR = Path(__file__).resolve().parent / "bpmn"
# The processes Aspa ships: file, process code, the catalogue service it runs for.
SHIPPED = [
    ("venepaikkahakemus.bpmn", "venepaikkahakemus", "venepaikka"),
    ("hakkuutahdelupa.bpmn", "hakkuutahdelupa", "hakkuutahdelupa"),
    ("pysakointivirhemaksun_oikaisuvaatimus.bpmn", "pysakointivirhemaksun-oikaisuvaatimus", "pysakointivirhemaksu"),
    ("kuntalaisaloite.bpmn", "kuntalaisaloite", "aloite"),
]
MAX_NOTE = 5_000


# ----------------------------------------------------------------- publishing


def _check_references(parsed: "ParsedProcess") -> None:
    """The lanes of user tasks name existing teams or departments; service tasks known operations."""
    from aspa.processes import engine

    used_lanes = {spec.lane for spec in parsed.spec.task_specs.values() if spec.bpmn_id in parsed.user_tasks}
    for lane in sorted(used_lanes):
        target = parsed.lanes.get(lane, {})
        if "team" in target:
            if not Team.objects.filter(code=target["team"]).exists():
                raise engine.ProcessFileError(f"Lane “{lane}”: no team with the code “{target['team']}”.")
        elif "department" in target:
            if not Department.objects.filter(code=target["department"]).exists():
                raise engine.ProcessFileError(f"Lane “{lane}”: no department with the code “{target['department']}”.")
        else:
            raise engine.ProcessFileError(f"Lane “{lane}”: give it the property “team” or “department”.")
    for task_id, operator in sorted(parsed.operators.items()):
        if operator not in OPERATORS:
            raise engine.ProcessFileError(f"Service task {task_id}: unknown operator “{operator}”; "
                                          f"known: {', '.join(sorted(OPERATORS))}.")


def check_file(content: bytes | str, file_name: str) -> "ParsedProcess":
    """Parse and check a file as publishing would; InvalidInput with the reason if it is refused."""
    from aspa.processes import engine

    try:
        parsed = engine.parse(content, file_name)
        _check_references(parsed)
    except engine.ProcessFileError as error:
        raise InvalidInput({"file": [_("The file was refused: %(reason)s") % {"reason": str(error)}]}) from error
    return parsed


def _require_admin(actor: User | None) -> None:
    # None: the system itself (the `aspa processes load` command, the demo).
    if actor is not None and not (actor.is_active and (actor.role == Role.ADMIN or actor.is_superuser)):
        raise Forbidden()


@transaction.atomic
def publish_version(actor: User | None, *, code: str, content: bytes | str, file_name: str,
                    service: str | None = None) -> ProcessVersion:
    """Store a new version of the process `code` (created if new). A broken file is refused with
    the parser's message and nothing is saved. Running instances keep their own version."""
    _require_admin(actor)
    parsed = check_file(content, file_name)
    text = content.decode() if isinstance(content, bytes) else content
    service_entry = None
    if service:
        service_entry = Service.objects.filter(code=service).first()
        if service_entry is None:
            raise InvalidInput({"service": [_("No service with this code.")]})
        if ProcessDefinition.objects.filter(service=service_entry).exclude(code=code).exists():
            raise InvalidInput({"service": [_("Another process already runs for this service.")]})
    definition, _created = ProcessDefinition.objects.get_or_create(code=code, defaults={"name": parsed.name[:200]})
    # The definition's row is locked while the next number is taken.
    definition = ProcessDefinition.objects.select_for_update().get(pk=definition.pk)
    changes = []
    if definition.name != parsed.name[:200]:
        definition.name = parsed.name[:200]
        changes.append("name")
    if service_entry is not None and definition.service_id != service_entry.pk:
        definition.service = service_entry
        changes.append("service")
    if changes:
        definition.save(update_fields=changes)
    number = (definition.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ProcessVersion.objects.create(
        definition=definition, number=number, bpmn_xml=text, file_name=file_name[:200],
        sha256=hashlib.sha256(text.encode()).hexdigest(), process_id=parsed.process_id, lanes=parsed.lanes,
        uploaded_by=actor,
    )


def load_shipped(say=None) -> dict[str, int]:
    """Publish the shipped BPMN files; a file already published unchanged is left alone."""
    counts = {"published": 0, "unchanged": 0}
    for file_name, code, service in SHIPPED:
        content = (BPMN_DIR / file_name).read_text(encoding="utf-8")
        digest = hashlib.sha256(content.encode()).hexdigest()
        definition = ProcessDefinition.objects.filter(code=code).first()
        latest = definition.latest_version() if definition is not None else None
        if latest is not None and latest.sha256 == digest:
            counts["unchanged"] += 1
            continue
        known_service = service if Service.objects.filter(code=service).exists() else None
        version = publish_version(None, code=code, content=content, file_name=file_name, service=known_service)
        counts["published"] += 1
        if say is not None:
            say(f"process {code} v{version.number}" + ("" if known_service else f" (no service “{service}”)"))
    return counts


# ----------------------------------------------------------------- running


@functools.lru_cache(maxsize=64)
def _parsed(version_id: int, sha256: str) -> "ParsedProcess":
    from aspa.processes import engine

    version = ProcessVersion.objects.get(pk=version_id)
    return engine.parse(version.bpmn_xml, version.file_name)


def forget_parsed() -> None:
    """Drop the parsed files kept in memory (tests use it to prove a fresh engine resumes)."""
    _parsed.cache_clear()


def _script_engine(context: StepContext) -> "ScriptEngine":
    from aspa.processes import engine

    def call(task, operator: str, params: dict):
        function = OPERATORS.get(operator)
        if function is None:
            raise Conflict(_("The process uses an unknown operation “%(operator)s”.") % {"operator": operator},
                           code="process_error")
        return function(context, params)

    return engine.ScriptEngine(call)


def _lane_target(version: ProcessVersion, lane: str | None, service_request: ServiceRequest
                 ) -> tuple[Team | None, Department]:
    target = version.lanes.get(lane or "", {})
    team = Team.objects.filter(code=target["team"]).select_related("department").first() if "team" in target else None
    if team is not None:
        return team, team.department
    department = Department.objects.filter(code=target.get("department", "")).first()
    if department is None:
        # The catalogue changed after publishing: the request's own department takes the task.
        department = service_request.department or Department.objects.filter(is_service_centre=True).first()
    return None, department


def _sync_tasks(context: StepContext, workflow) -> None:
    """Make the ProcessTask rows match the engine's ready user tasks."""
    from aspa.processes import engine

    instance = context.instance
    now = timezone.now()
    ready = {task.id: task for task in engine.ready_user_tasks(workflow)}
    open_rows = {row.task_id: row for row in instance.tasks.filter(completed_at__isnull=True)}
    for task_id, row in open_rows.items():
        if task_id not in ready:
            # Cancelled by the process itself (an interrupting event).
            row.completed_at, row.outcome = now, {"cancelled": True}
            row.save(update_fields=["completed_at", "outcome"])
            continue
        due = engine.due_of(ready[task_id])
        if due != row.due_at:
            row.due_at = due
            row.save(update_fields=["due_at"])
    for task_id, task in ready.items():
        if task_id in open_rows:
            continue
        form = engine.user_task_form(task.task_spec)
        team, department = _lane_target(instance.version, task.task_spec.lane, context.service_request)
        ProcessTask.objects.create(
            instance=instance, request=context.service_request, task_id=task_id, bpmn_id=task.task_spec.bpmn_id,
            label_fi=form.labels["fi"][:300], label_sv=form.labels["sv"][:300], label_en=form.labels["en"][:300],
            lane=(task.task_spec.lane or "")[:200], team=team, department=department, form=form.as_json(),
            created_at=now, due_at=engine.due_of(task),
        )


def _continue(context: StepContext, workflow) -> None:
    """Run the engine as far as it goes without a person, then save its state and the work items."""
    from aspa.processes import engine

    try:
        engine.advance(workflow)
    except engine.WorkflowError as error:
        raise Conflict(_("The process could not continue: %(error)s") % {"error": error},
                       code="process_error") from error
    _sync_tasks(context, workflow)
    instance = context.instance
    now = timezone.now()
    instance.state = engine.dump(workflow)
    instance.next_timer_at = engine.next_timer(workflow)
    instance.steps += 1
    instance.updated_at = now
    fields = ["state", "next_timer_at", "steps", "updated_at"]
    if workflow.completed and instance.status != ProcessInstance.Status.COMPLETED:
        instance.status, instance.completed_at = ProcessInstance.Status.COMPLETED, now
        fields += ["status", "completed_at"]
        record_event(context.service_request, "process_completed", context.actor,
                     {"process": instance.version.definition.code, "version": instance.version.number})
    instance.save(update_fields=fields)


def process_for(service_request: ServiceRequest) -> ProcessVersion | None:
    """The version a new process of the request would run: the latest of its service's active process."""
    if service_request.service_id is None:
        return None
    definition = ProcessDefinition.objects.filter(service_id=service_request.service_id, active=True).first()
    return definition.latest_version() if definition is not None else None


@transaction.atomic
def start_for_request(service_request: ServiceRequest, actor: User | None) -> ProcessInstance | None:
    """Start the request's process if its service has one and none runs yet. A broken file or
    engine error is a Conflict (code process_error), like any other refusal."""
    version = process_for(service_request)
    if version is None or ProcessInstance.objects.filter(request=service_request).exists():
        return None
    from aspa.processes import engine  # only now: most services have no process

    now = timezone.now()
    instance = ProcessInstance.objects.create(request=service_request, version=version, state="", started_at=now,
                                              updated_at=now)
    record_event(service_request, "process_started", actor,
                 {"process": version.definition.code, "version": version.number})
    context = StepContext(instance=instance, service_request=service_request, actor=actor)
    try:
        workflow = engine.new_workflow(_parsed(version.pk, version.sha256), _script_engine(context))
        _continue(context, workflow)
    except engine.WorkflowError as error:
        raise Conflict(_("The process could not continue: %(error)s") % {"error": error},
                       code="process_error") from error
    return instance


def start_or_note_failure(service_request: ServiceRequest, actor: User | None) -> ProcessInstance | None:
    """Start the request's process; if the process itself is broken, the request is still filed:
    the failure is logged and written into its history, and the request is handled by hand."""
    try:
        with transaction.atomic():
            return start_for_request(service_request, actor)
    except (DomainError, KeyError, ValueError, TypeError) as error:
        logger.exception("The process of request %s could not start", service_request.number)
        record_event(service_request, "process_failed", actor, {"error": str(error)[:500]})
        return None


def _locked_instance(pk: int) -> ProcessInstance:
    return ProcessInstance.objects.select_for_update().select_related("version__definition", "request").get(pk=pk)


@transaction.atomic
def complete_task(actor: User, process_task: ProcessTask, *, choice: str, note: str = "") -> ProcessTask:
    """A staff member of the task's team or department completes it with one of its choices; the
    process then runs on (its service tasks act in this person's name) until the next user task."""
    if not may_complete(actor, process_task):
        raise Forbidden()
    instance = _locked_instance(process_task.instance_id)
    process_task = ProcessTask.objects.select_related("team", "department").get(pk=process_task.pk)
    if process_task.completed_at is not None:
        raise Conflict(_("This task has already been done."), code="task_done")
    keys = [entry["key"] for entry in process_task.form.get("choices", [])]
    if choice not in keys:
        raise InvalidInput({"choice": [_("Choose one of the options.")]})
    note = (note or "").strip()
    if process_task.form.get("note") == "required" and not note:
        raise InvalidInput({"note": [_("This field is required.")]})
    if len(note) > MAX_NOTE:
        raise InvalidInput({"note": [_("The text is too long.")]})

    from aspa.processes import engine

    context = StepContext(instance=instance, service_request=instance.request, actor=actor)
    workflow = engine.load(instance.state, _script_engine(context))
    task = engine.find_task(workflow, process_task.task_id)
    if task is None or not engine.is_ready(task):
        raise Conflict(_("The process no longer waits for this task."), code="task_done")
    task.data.update({process_task.form.get("field") or "choice": choice, "note": note})
    task.run()
    process_task.completed_at, process_task.completed_by = timezone.now(), actor
    process_task.outcome = {"choice": choice, "note": note}
    process_task.save(update_fields=["completed_at", "completed_by", "outcome"])
    record_event(instance.request, "process_task_completed", actor, {
        "task": process_task.bpmn_id, "label": process_task.label_fi, "choice": choice,
        "choice_label": dict(process_task.choices()).get(choice, choice),
    })
    _continue(context, workflow)
    return process_task


def run_due_timers(now=None) -> int:
    """Run the timers whose time has come (escalations); how many instances moved. One instance's
    failure is logged and does not stop the others; it is tried again on the next round."""
    now = now or timezone.now()
    moved = 0
    due = list(ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING, next_timer_at__lte=now)
               .order_by("next_timer_at").values_list("pk", flat=True))
    for pk in due:
        try:
            moved += _run_timers_of(pk, now)
        except Exception:
            logger.exception("Process instance %s: running its timers failed", pk)
    return moved


@transaction.atomic
def _run_timers_of(pk: int, now) -> int:
    instance = _locked_instance(pk)
    # Another worker may have run it between the listing and the lock.
    if instance.status != ProcessInstance.Status.RUNNING or instance.next_timer_at is None or instance.next_timer_at > now:
        return 0
    from aspa.processes import engine

    context = StepContext(instance=instance, service_request=instance.request, actor=None)
    workflow = engine.load(instance.state, _script_engine(context))
    _continue(context, workflow)
    return 1
