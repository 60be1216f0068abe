"""Reading process tasks, always through who may see and do them.

A task belongs to a team (its members do it) or to a department (its experts and advisors do
it); the department's supervisors and the administrators may do any of the department's tasks."""

from django.db.models import F, Q, QuerySet
from django.utils.translation import get_language

from aspa.errors import NotFound
from aspa.identity.models import Role, User
from aspa.processes.models import ProcessInstance, ProcessTask, ProcessVersion
from aspa.processes.services import NOT_CONNECTED
from aspa.requests import queries as request_queries
from aspa.requests.models import OPEN_STATUSES, ServiceRequest

WORKERS = (Role.ADVISOR, Role.EXPERT)


def may_complete(user: User, task: ProcessTask) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.SUPERVISOR:
        return user.department_id is not None and user.department_id == task.department_id
    if user.role not in WORKERS:
        return False
    if task.team_id is not None:
        return user.team_id == task.team_id
    return user.department_id is not None and user.department_id == task.department_id


def _scope(user: User) -> Q | None:
    """The open tasks that are the user's to do; None for nobody's."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.SUPERVISOR:
        return Q(department_id=user.department_id) if user.department_id else None
    if user.role not in WORKERS:
        return None
    scope = Q(team__isnull=True, department_id=user.department_id) if user.department_id else Q(pk__isnull=True)
    if user.team_id is not None:
        scope |= Q(team_id=user.team_id)
    return scope


def work_list(user: User) -> QuerySet[ProcessTask]:
    """The open process tasks of the user's team and department, escalated and earliest due first.

    A request someone resolved or closed by hand takes its tasks out of the lists with it."""
    scope = _scope(user)
    if scope is None:
        return ProcessTask.objects.none()
    return (ProcessTask.objects.filter(scope, completed_at__isnull=True, request__status__in=OPEN_STATUSES)
            .select_related("request", "request__service", "team", "department")
            .order_by(F("escalated_at").asc(nulls_last=True), F("due_at").asc(nulls_last=True), "id"))


def get_task_for(user: User, task_id: int) -> ProcessTask:
    """The task, with its request and process, if the user may see its request; NotFound otherwise,
    so that a task of a request the user may not see does not exist for them."""
    task = (ProcessTask.objects.filter(pk=task_id, request__in=request_queries.visible_requests(user))
            .select_related("request", "team", "department", "instance__version__definition").first())
    if task is None:
        raise NotFound()
    return task


def open_tasks_of(service_request: ServiceRequest) -> list[ProcessTask]:
    """The request's open process tasks; the caller has already checked that the user sees the request."""
    return list(ProcessTask.objects.filter(request=service_request, completed_at__isnull=True)
                .select_related("team", "department").order_by("created_at", "id"))


def get_task(service_request: ServiceRequest, task_pk: int) -> ProcessTask | None:
    return (ProcessTask.objects.filter(request=service_request, pk=task_pk)
            .select_related("team", "department").first())


def instance_of(service_request: ServiceRequest) -> ProcessInstance | None:
    return (ProcessInstance.objects.filter(request=service_request)
            .select_related("version__definition__service").first())


def _refuse(task, operator, params):
    raise RuntimeError("reading a process never runs its steps")


def active_elements(instance: ProcessInstance) -> list[str]:
    """The BPMN ids where the instance stands now, read from its stored state."""
    if instance.status == ProcessInstance.Status.COMPLETED or not instance.state:
        return []
    from aspa.processes import engine  # SpiffWorkflow, only for the pages that show a diagram

    return engine.active_element_ids(engine.load(instance.state, engine.ScriptEngine(_refuse)))


def steps_of(version: ProcessVersion, active: list[str]) -> list[dict]:
    """The version's user tasks in the reader's language: label, lane, choices, marked now or not."""
    from aspa.processes import engine

    language = (get_language() or "fi")[:2]
    parsed = engine.parse(version.bpmn_xml, version.file_name)
    steps = []
    for bpmn_id, form in parsed.user_tasks.items():
        lane = parsed.spec.task_specs[bpmn_id].lane or ""
        steps.append({
            "label": form.labels.get(language) or form.labels["fi"],
            "lane": lane,
            "choices": [choice.get(language) or choice["fi"] for choice in form.choices],
            "active": bpmn_id in active,
        })
    return steps


def not_connected_steps(version: ProcessVersion) -> list[dict]:
    """The version's service tasks whose operation no system stands behind yet (invoicing, the
    notice board): the step name in the file, its operation and what that means."""
    from aspa.processes import engine

    parsed = engine.parse(version.bpmn_xml, version.file_name)
    return [{"label": parsed.spec.task_specs[bpmn_id].bpmn_name or bpmn_id, "bpmn_id": bpmn_id, "operator": operator,
             "explanation": str(NOT_CONNECTED[operator])}
            for bpmn_id, operator in parsed.operators.items() if operator in NOT_CONNECTED]
