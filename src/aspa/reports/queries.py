"""Reads of the satisfaction survey: whether a resident may still answer, and the supervisors'
averages per department and month."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, F
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aspa.errors import Forbidden
from aspa.identity.models import Role, User
from aspa.reports.models import SurveyResponse
from aspa.reports.survey import GROUPS, SCORE_FIELDS
from aspa.requests.models import ServiceRequest, Status

READERS = (Role.SUPERVISOR, Role.ADMIN)
ANSWERABLE = (Status.RESOLVED, Status.CLOSED)


def is_own_errand(user: User, service_request: ServiceRequest) -> bool:
    """The survey is for the resident whose own errand it is (not a representative's, not staff)."""
    return (user.is_authenticated and user.is_active and user.role == Role.RESIDENT
            and user.party_id is not None and service_request.party_id == user.party_id)


def may_answer(user: User, service_request: ServiceRequest) -> bool:
    return is_own_errand(user, service_request) and service_request.status in ANSWERABLE


def survey_state(user: User, service_request: ServiceRequest) -> str:
    """"open" (the resident may answer now), "answered" (thanks), or "" (nothing to show)."""
    if not may_answer(user, service_request):
        return ""
    return "answered" if SurveyResponse.objects.filter(request=service_request).exists() else "open"


@dataclass
class MonthRow:
    department: str
    month: date
    answers: int
    overall: float | None
    groups: dict[str, float | None]


def satisfaction_by_department_and_month(user: User) -> list[MonthRow]:
    """Average scores per department and month, newest month first; supervisors and administrators.

    A group's average is the mean of every score given to its questions in that month."""
    if not (user.is_authenticated and user.is_active and user.role in READERS):
        raise Forbidden()
    aggregates = {}
    for field in SCORE_FIELDS:
        aggregates[f"{field}__avg"] = Avg(field)
        aggregates[f"{field}__count"] = Count(field)
    rows = (SurveyResponse.objects.annotate(month=TruncMonth("answered_at"))
            .values("month", "department__name_fi", "department__name_sv", "department__name_en")
            .annotate(answers=Count("pk"), **aggregates)
            .order_by(F("month").desc(), "department__name_fi"))
    result = []
    for row in rows:
        groups = {group.key: _mean(row, [question.field for question in group.questions]) for group in GROUPS}
        month = row["month"]
        result.append(MonthRow(department=_department_name(row), month=month.date() if hasattr(month, "date") else month,
                               answers=row["answers"], overall=_mean(row, SCORE_FIELDS), groups=groups))
    return result


def _mean(row: dict, fields) -> float | None:
    given = sum(row[f"{field}__count"] for field in fields)
    if not given:
        return None
    return sum(row[f"{field}__avg"] * row[f"{field}__count"] for field in fields if row[f"{field}__count"]) / given


def _department_name(row: dict) -> str:
    language = (get_language() or "fi")[:2]
    name = row.get(f"department__name_{language}") or row.get("department__name_fi")
    return name or _("No department")
