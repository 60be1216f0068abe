"""{% satisfaction_survey item %}: the survey on a resident's errand page, or the thanks."""

from django import template

from aspa.portal.forms import SurveyForm
from aspa.reports import queries

register = template.Library()


@register.inclusion_tag("portal/survey/_survey.html", takes_context=True)
def satisfaction_survey(context, item) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    state = queries.survey_state(user, item) if user is not None else ""
    return {"item": item, "state": state, "survey_form": SurveyForm() if state == "open" else None,
            "csrf_token": context.get("csrf_token")}
