"""Overdue user tasks go to the supervisor: a flag on the task, an entry in the request's history
and an email to the supervisors of the task's department (the service centre's supervisors when
the department has none), sent by the worker after the step commits."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aspa.catalogue.models import Department
from aspa.identity.models import Role, User
from aspa.notifications import send_email
from aspa.processes.history import record_event
from aspa.processes.models import ProcessTask


def supervisors_for(department: Department) -> list[User]:
    found = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True, department=department).exclude(email=""))
    if not found:
        found = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True, department__is_service_centre=True)
                     .exclude(email=""))
    return found


def _notify(task: ProcessTask) -> int:
    supervisors = supervisors_for(task.department)
    for supervisor in supervisors:
        with translation.override(supervisor.language or "fi"):
            subject = _("Overdue process task in service request %(number)s") % {"number": task.request.number}
            body = "\n".join([
                _("The task “%(task)s” of service request %(number)s was due %(due)s and is still open.")
                % {"task": task.label, "number": task.request.number,
                   "due": timezone.localtime(task.due_at).strftime("%d.%m.%Y %H:%M") if task.due_at else "–"},
                _("It waits for: %(queue)s.") % {"queue": (task.team or task.department).name},
            ])
        send_email(supervisor.email, subject, body)
    return len(supervisors)


def escalate_tasks(instance, bpmn_id: str) -> int:
    """Escalate the open, not yet escalated tasks of `bpmn_id` in the instance; how many there were."""
    now = timezone.now()
    tasks = list(ProcessTask.objects.filter(instance=instance, bpmn_id=bpmn_id, completed_at__isnull=True,
                                            escalated_at__isnull=True)
                 .select_related("request", "team", "department"))
    for task in tasks:
        task.escalated_at = now
        task.save(update_fields=["escalated_at"])
        told = _notify(task)
        record_event(task.request, "process_task_escalated", None, {
            "task": task.bpmn_id, "label": task.label_fi, "due_at": task.due_at.isoformat() if task.due_at else None,
            "team": task.team.code if task.team else None, "department": task.department.code,
            "supervisors_told": told,
        })
    return len(tasks)
