"""The desk shows process tasks with these tags: the work list of the user's team and department
on the desk's front page, and the request's open tasks (with their completion forms for those
who may do them) on the request page."""

from django import template

from aspa.desk.views.processes import task_row
from aspa.processes import queries

register = template.Library()


@register.inclusion_tag("desk/processes/_work_list_placeholder.html")
def process_work_list():
    # Loaded after the page (htmx), so the desk's front page keeps its fixed number of queries;
    # without JavaScript the link opens the same list as a page.
    return {}


@register.inclusion_tag("desk/processes/_request_tasks.html", takes_context=True)
def process_request_tasks(context):
    http_request = context["request"]
    service_request = context["item"]
    instance = queries.instance_of(service_request)
    if instance is None:
        return {"instance": None}
    return {
        "instance": instance,
        "item": service_request,
        "rows": [task_row(task, http_request.user, with_form=True) for task in queries.open_tasks_of(service_request)],
        "done": http_request.GET.get("done") == "process_task",
        "csrf_token": context.get("csrf_token"),
    }
