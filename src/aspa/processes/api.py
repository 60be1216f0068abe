"""/api/v1/processes: the process tasks waiting for the caller's team or department, and
completing one (the same operation as the desk's form; the same server-side checks)."""

import datetime

from ninja import Router, Schema

from aspa.identity.access import STAFF, require_role
from aspa.processes import operations, queries
from aspa.processes.models import ProcessTask

router = Router(tags=["processes"])
MAX_TASKS = 200


class ChoiceOut(Schema):
    key: str
    label: str


class TaskOut(Schema):
    id: int
    request: str
    process: str
    task: str
    label: str
    team: str | None
    department: str
    due_at: datetime.datetime | None
    escalated_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    choices: list[ChoiceOut]
    note: str


class CompleteIn(Schema):
    choice: str
    note: str = ""


def _out(task: ProcessTask) -> dict:
    return {
        "id": task.pk, "request": task.request.number, "process": task.instance.version.definition.code,
        "task": task.bpmn_id, "label": task.label, "team": task.team.code if task.team else None,
        "department": task.department.code, "due_at": task.due_at, "escalated_at": task.escalated_at,
        "completed_at": task.completed_at,
        "choices": [{"key": key, "label": label} for key, label in task.choices()],
        "note": task.form.get("note", ""),
    }


@router.get("/tasks", response=list[TaskOut], summary="Open process tasks of my team and department")
def tasks(request):
    require_role(request.auth, STAFF)
    found = queries.work_list(request.auth).select_related("instance__version__definition")[:MAX_TASKS]
    return [_out(task) for task in found]


@router.post("/tasks/{task_id}/complete", response=TaskOut,
             summary="Complete a process task with one of its choices; the process moves on")
def complete(request, task_id: int, payload: CompleteIn):
    require_role(request.auth, STAFF)
    task = queries.get_task_for(request.auth, task_id)
    done = operations.complete_task(request.auth, task, choice=payload.choice, note=payload.note)
    done.request = task.request
    done.instance = task.instance
    return _out(done)
