"""SpiffWorkflow behind a small surface: parse and check a BPMN file, start, load, save and step a
workflow, and read what it waits for.

Nothing here touches the database. Conventions the shipped files follow (and an uploaded file
must follow too):
- a lane carries `spiffworkflow:property` name="team" or name="department" with a catalogue code;
- a user task carries properties `label` ("fi|sv|en"), `field` (the task-data variable the choice
  goes to), `choices` ("key,key"), `choice.<key>` ("fi|sv|en"), optionally `note`
  ("required"/"optional") and `note.label` ("fi|sv|en"); the note goes to the variable `note`;
- a service task names one of the platform's operations as its `serviceTaskOperator`
  (aspa.processes.services.OPERATORS); its parameters are Python expressions over the task data.

Expressions and scripts in a file run as Python inside the application, so only administrators
may upload files (the admin's permission), the same people who could change the code's settings.

Other modules import this one inside the functions that parse or run a process, so that a page or
the worker loads SpiffWorkflow only when a process is at hand."""

import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.defaults import ServiceTask, UserTask
from SpiffWorkflow.util.task import TaskState

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NAMESPACES = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
LANGUAGES = ("fi", "sv", "en")
MAX_FILE_BYTES = 1024 * 1024


# What the engine raises when a process cannot go on.
WorkflowError = SpiffWorkflowException


class ProcessFileError(ValueError):
    """The file cannot be used; the message says why (the parser's own words where it has them)."""


@dataclass
class UserTaskForm:
    labels: dict[str, str]
    field: str
    choices: list[dict[str, str]]
    note: str = ""
    note_label: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"field": self.field, "choices": self.choices, "note": self.note, "note_label": self.note_label}


@dataclass
class ParsedProcess:
    process_id: str
    name: str
    spec: object
    subprocess_specs: dict
    lanes: dict[str, dict[str, str]]
    user_tasks: dict[str, UserTaskForm]
    operators: dict[str, str]  # service task id → operator name


def _split_labels(value: str, where: str) -> dict[str, str]:
    parts = [part.strip() for part in (value or "").split("|")]
    if not parts[0]:
        raise ProcessFileError(f"{where}: a label needs at least the Finnish text (\"fi|sv|en\").")
    return {language: (parts[index] if index < len(parts) and parts[index] else parts[0])
            for index, language in enumerate(LANGUAGES)}


def user_task_form(task_spec) -> UserTaskForm:
    where = f"User task {task_spec.bpmn_id}"
    properties = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
    keys = [key.strip() for key in properties.get("choices", "").split(",") if key.strip()]
    if not keys:
        raise ProcessFileError(f"{where}: give its choices as the property \"choices\" (for example \"approve,reject\").")
    choices = []
    for key in keys:
        labels = _split_labels(properties.get(f"choice.{key}", ""), f"{where}, choice {key}")
        choices.append({"key": key, **labels})
    note = properties.get("note", "")
    if note not in ("", "required", "optional"):
        raise ProcessFileError(f"{where}: the property \"note\" is \"required\" or \"optional\".")
    name = task_spec.bpmn_name or task_spec.bpmn_id
    return UserTaskForm(
        labels=_split_labels(properties.get("label") or name, where),
        field=properties.get("field") or "choice",
        choices=choices,
        note=note,
        note_label=_split_labels(properties["note.label"], where) if properties.get("note.label") else {},
    )


def _lanes(root) -> dict[str, dict[str, str]]:
    lanes = {}
    for lane in root.iterfind(".//bpmn:lane", NAMESPACES):
        name = (lane.get("name") or "").strip()
        if not name:
            raise ProcessFileError(f"Lane {lane.get('id')}: give the lane a name.")
        if name in lanes:
            raise ProcessFileError(f"Two lanes are named “{name}”; lane names must differ.")
        target = {}
        for prop in lane.iterfind("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property",
                                  NAMESPACES):
            if prop.get("name") in ("team", "department") and prop.get("value"):
                target[prop.get("name")] = prop.get("value").strip()
        lanes[name] = target
    return lanes


def parse(content: bytes | str, file_name: str = "process.bpmn") -> ParsedProcess:
    """Parse and check a BPMN file: one executable process, its user tasks' forms, its lanes."""
    data = content.encode() if isinstance(content, str) else content
    if len(data) > MAX_FILE_BYTES:
        raise ProcessFileError("The file is larger than 1 MB.")
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        # No entities, no network: a BPMN file is plain XML.
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        parser.add_bpmn_xml(etree.ElementTree(root), file_name)
        process_ids = parser.get_process_ids()
        if len(process_ids) != 1:
            raise ProcessFileError(f"The file must have exactly one executable process; it has {len(process_ids)}.")
        process_id = process_ids[0]
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ProcessFileError:
        raise
    except ValidationException as error:
        raise ProcessFileError(str(error)) from error
    except (SpiffWorkflowException, etree.LxmlError, KeyError, ValueError, TypeError) as error:
        raise ProcessFileError(f"{type(error).__name__}: {error}") from error
    lanes = _lanes(root)
    user_tasks: dict[str, UserTaskForm] = {}
    operators: dict[str, str] = {}
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, UserTask):
            if task_spec.lane is None or task_spec.lane not in lanes:
                raise ProcessFileError(f"User task {task_spec.bpmn_id}: put it in a lane that names a team or a department.")
            user_tasks[task_spec.bpmn_id] = user_task_form(task_spec)
        elif isinstance(task_spec, ServiceTask):
            operators[task_spec.bpmn_id] = task_spec.operation_name
    process_node = root.find(f".//bpmn:process[@id='{process_id}']", NAMESPACES)
    name = (process_node.get("name") if process_node is not None else None) or process_id
    return ParsedProcess(process_id=process_id, name=name.strip(), spec=spec,
                         subprocess_specs=subprocess_specs, lanes=lanes, user_tasks=user_tasks, operators=operators)


class ScriptEngine(PythonScriptEngine):
    """Evaluates the file's expressions; service tasks call `call` (the platform's operations)."""

    def __init__(self, call: Callable[[object, str, dict], object]):
        super().__init__()
        self.call = call

    def call_service(self, task, operation_name, operation_params, **_kwargs):
        values = {name: param["value"] for name, param in operation_params.items()}
        return json.dumps(self.call(task, operation_name, values))


# The serializer keeps the spec inside the state, so an instance can be loaded even if its
# version's file could no longer be parsed by a newer SpiffWorkflow.
_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def new_workflow(parsed: ParsedProcess, engine: ScriptEngine) -> BpmnWorkflow:
    return BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=engine)


def dump(workflow: BpmnWorkflow) -> str:
    return _SERIALIZER.serialize_json(workflow)


def load(state: str, engine: ScriptEngine) -> BpmnWorkflow:
    workflow = _SERIALIZER.deserialize_json(state)
    workflow.script_engine = engine
    return workflow


def advance(workflow: BpmnWorkflow) -> None:
    """Run everything that needs no person: gateways, service tasks, passed timers."""
    workflow.refresh_timers()
    workflow.do_engine_steps()
    # do_engine_steps ends by refreshing the timers: one that passed just then is ready now, and
    # it would wait for nobody (the next timer time only counts timers still waiting).
    while any(not task.task_spec.manual for task in workflow.get_tasks(state=TaskState.READY)):
        workflow.do_engine_steps()


def ready_user_tasks(workflow: BpmnWorkflow) -> list:
    return [task for task in workflow.get_tasks(state=TaskState.READY, manual=True)
            if isinstance(task.task_spec, UserTask)]


def find_task(workflow: BpmnWorkflow, task_id: uuid.UUID):
    return workflow.get_task_from_id(task_id)


def is_ready(task) -> bool:
    return task.state == TaskState.READY


def _timer_at(task) -> datetime.datetime | None:
    value = task._get_internal_data("event_value")
    if isinstance(value, str):
        return TimerEventDefinition.get_datetime(value)
    if isinstance(value, dict) and value.get("next"):  # a cycle timer
        return TimerEventDefinition.get_datetime(value["next"])
    return None


def _waiting_timers(workflow: BpmnWorkflow) -> list:
    return [task for task in workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)]


def next_timer(workflow: BpmnWorkflow) -> datetime.datetime | None:
    times = [at for at in (_timer_at(task) for task in _waiting_timers(workflow)) if at is not None]
    return min(times) if times else None


def due_of(task) -> datetime.datetime | None:
    """When a user task is due: the earliest timer on its boundary, if it has one."""
    parent = task.parent
    if parent is None:
        return None
    times = [_timer_at(sibling) for sibling in parent.children
             if sibling is not task and sibling.state == TaskState.WAITING
             and isinstance(getattr(sibling.task_spec, "event_definition", None), TimerEventDefinition)]
    times = [at for at in times if at is not None]
    return min(times) if times else None


def active_element_ids(workflow: BpmnWorkflow) -> list[str]:
    """The BPMN ids of the elements the process stands at now (for highlighting on the diagram)."""
    found = []
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id and bpmn_id not in found:
            found.append(bpmn_id)
    return found
