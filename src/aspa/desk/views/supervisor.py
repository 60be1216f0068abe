"""The supervisor's view of the queues: workload per team, department and handler, and the
open requests to reassign in bulk. Supervisors and administrators only."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aspa.audit.reads import Reader
from aspa.catalogue import queries as catalogue
from aspa.desk import queries as desk_queries
from aspa.desk.access import supervisor_required
from aspa.desk.forms.request_actions import named_choices, person_choices, staff_handlers
from aspa.desk.views.requests import request_rows
from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.queries import users_by_id
from aspa.requests import operations
from aspa.requests import queries as request_queries
from aspa.requests.models import OPEN_STATUSES

LIST_SIZE = 50


class QueueFilter(forms.Form):
    team = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    unassigned = forms.BooleanField(label=gettext_lazy("Only unassigned"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = named_choices(catalogue.active_teams(), gettext_lazy("All teams"))


class ReassignForm(forms.Form):
    assignee = forms.ChoiceField(label=gettext_lazy("To a handler"), required=False)
    team = forms.ChoiceField(label=gettext_lazy("To a team"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reassign_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = person_choices(staff_handlers(), gettext_lazy("Choose…"))
        self.fields["team"].choices = named_choices(catalogue.active_teams(), gettext_lazy("Choose…"))


def _workload_rows(rows: list[dict], key: str, names: dict, now) -> list[dict]:
    found = {row[key]: row for row in rows}
    result = []
    for pk, name in names.items():
        row = found.get(pk, {})
        oldest = row.get("oldest")
        result.append({"name": name, "open": row.get("open", 0), "unassigned": row.get("unassigned", 0),
                       "overdue": row.get("overdue", 0), "oldest": oldest,
                       "age_days": (now - oldest).days if oldest else None})
    if None in found and key != "assignee_id":
        row = found[None]
        result.append({"name": _("No team") if key == "team_id" else _("No department"), "open": row["open"],
                       "unassigned": row["unassigned"], "overdue": row["overdue"], "oldest": row["oldest"],
                       "age_days": (now - row["oldest"]).days})
    return result


def _overview(http_request: HttpRequest, reassign: ReassignForm, problem: str = "", status: int = 200) -> HttpResponse:
    reader = Reader.of(http_request)
    now = timezone.now()
    teams = {team.pk: team.name for team in catalogue.active_teams()}  # by code
    departments = {department.pk: department.name for department in catalogue.active_departments()}
    handler_rows = request_queries.workload_by_handler()
    handlers = {person.pk: person.get_full_name() or person.get_username()
                for person in users_by_id(row["assignee_id"] for row in handler_rows)}
    filters = QueueFilter(http_request.GET)
    filters.is_valid()
    chosen = filters.cleaned_data if filters.is_bound else {}
    found = request_queries.list_requests(
        reader, request_queries.RequestFilters(status=list(OPEN_STATUSES), team=chosen.get("team") or None),
        order_by=["created_at", "id"]).prefetch_related(None)
    if chosen.get("unassigned"):
        found = found.filter(assignee__isnull=True)
    page = Paginator(found, LIST_SIZE).get_page(http_request.GET.get("page"))
    rows = list(page.object_list)  # the page shown: its rows are written to the audit log
    kept = http_request.GET.copy()
    kept.pop("page", None)
    return render(http_request, "desk/supervisor/overview.html", {
        "desk_queues": desk_queries.QUEUES, "current": "supervisor",
        "teams": _workload_rows(request_queries.workload_by_team(), "team_id", teams, now),
        "departments": _workload_rows(request_queries.workload_by_department(), "department_id", departments, now),
        "handlers": sorted(_workload_rows(handler_rows, "assignee_id", handlers, now),
                           key=lambda row: (-row["open"], row["name"])),
        "filters": filters, "page": page, "query": kept.urlencode(), "reassign": reassign, "problem": problem,
        "rows": request_rows(rows),
        "done": int(http_request.GET["done"]) if http_request.GET.get("done", "").isdigit() else 0,
    }, status=status)


@supervisor_required
def overview(http_request: HttpRequest) -> HttpResponse:
    return _overview(http_request, ReassignForm())


@supervisor_required
@require_POST
def reassign(http_request: HttpRequest) -> HttpResponse:
    """Reassign the ticked requests in one operation: all of them or, if any changed, none."""
    form = ReassignForm(http_request.POST)
    versions: dict[int, int] = {}
    for value in http_request.POST.getlist("requests"):
        version = http_request.POST.get(f"version_{value}", "")
        if value.isdigit() and version.isdigit():
            versions[int(value)] = int(version)
    if not form.is_valid():
        return _overview(http_request, form, status=422)
    values = form.cleaned_data
    try:
        changed = operations.reassign_many(http_request.user, versions,
                                           assignee=int(values["assignee"]) if values["assignee"] else None,
                                           team=values["team"] or None)
    except InvalidInput as error:
        for name, messages in error.fields.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, str(message))
        return _overview(http_request, form, status=422)
    except Conflict as error:
        problem = (_("Some of the chosen requests were changed by someone else meanwhile, so none was "
                     "reassigned. The list below is up to date; choose again.")
                   if error.code == "stale" else str(error.message))
        return _overview(http_request, ReassignForm(http_request.POST), problem=problem, status=409)
    except Forbidden as refusal:
        raise PermissionDenied from refusal
    return redirect(f"{reverse('desk:supervisor')}?done={len(changed)}")
