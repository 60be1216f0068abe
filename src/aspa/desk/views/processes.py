"""Process tasks on the desk: the work list of the user's team and department, and completing a
task from the request's page with a plain POST form. Success goes back to the request page
(post/redirect/get); a refusal shows the task's form again with the errors next to the fields
and the honest status code."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from aspa.audit.reads import Reader
from aspa.desk.forms.process_tasks import TaskCompletionForm
from aspa.errors import Conflict, Forbidden, InvalidInput, NotFound
from aspa.identity.access import is_staff
from aspa.processes import operations, queries
from aspa.requests import queries as request_queries

# How many tasks the desk's front page shows, and the list page at most.
PREVIEW_SIZE = 10
PAGE_SIZE = 100


def task_row(task, user, *, with_form: bool = False) -> dict:
    return {
        "task": task,
        "overdue": task.due_at is not None and task.due_at < timezone.now(),
        "form": TaskCompletionForm(task) if with_form and queries.may_complete(user, task) else None,
    }


def _staff_only(http_request: HttpRequest, back_to: str) -> HttpResponse | None:
    user = http_request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('web:login')}?{urlencode({'next': back_to})}")
    if not user.is_active or not is_staff(user):
        raise PermissionDenied
    return None


def work_list(http_request: HttpRequest) -> HttpResponse:
    """The open process tasks of the user's team and department: a fragment for the desk's front
    page (htmx), or a page of its own."""
    refused = _staff_only(http_request, reverse("desk:process_work_list"))
    if refused is not None:
        return refused
    user = http_request.user
    fragment = bool(http_request.headers.get("HX-Request"))
    limit = PREVIEW_SIZE if fragment else PAGE_SIZE
    tasks = list(queries.work_list(user)[:limit + 1])
    more = len(tasks) > limit
    rows = [task_row(task, user) for task in tasks[:limit]]
    return render(http_request, "desk/processes/_work_list.html" if fragment else "desk/processes/work_list.html", {
        "rows": rows, "more": more, "count": queries.work_list(user).count() if more else len(rows),
    })


def _refused(http_request: HttpRequest, service_request, task, form, problem: str, status: int) -> HttpResponse:
    form.describe_errors()
    return render(http_request, "desk/processes/complete_task.html", {
        "item": service_request, "task": task, "form": form, "problem": problem,
    }, status=status)


def complete(http_request: HttpRequest, number: str, task: int) -> HttpResponse:
    if http_request.method in ("GET", "HEAD"):
        # The language switch and a reload return to a refused form's own address (this one):
        # the request's page is where the task's form lives.
        return redirect("desk:request", number=number)
    if http_request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    refused = _staff_only(http_request, reverse("desk:request", args=[number]))
    if refused is not None:
        return refused
    user = http_request.user
    try:
        # The request that the completed task belongs to: the operation records the completion,
        # and the request page that shows the request writes its read. Not audited here, as before.
        service_request = request_queries.get_request_for(Reader.unaudited(user), number)
    except NotFound as missing:
        raise Http404 from missing
    process_task = queries.get_task(service_request, task)
    if process_task is None:
        raise Http404
    if not queries.may_complete(user, process_task):
        raise PermissionDenied
    form = TaskCompletionForm(process_task, http_request.POST)
    if not form.is_valid():
        return _refused(http_request, service_request, process_task, form, "", 422)
    try:
        operations.complete_task(user, process_task, choice=form.cleaned_data["choice"],
                                 note=form.cleaned_data.get("note", ""))
    except InvalidInput as error:
        form.add_operation_errors(error.fields)
        return _refused(http_request, service_request, process_task, form, "", 422)
    except Conflict as error:
        return _refused(http_request, service_request, process_task, form, str(error.message), 409)
    except Forbidden as refusal:
        raise PermissionDenied from refusal
    return redirect(f"{reverse('desk:request', args=[service_request.number])}?done=process_task")
