"""The satisfaction survey of a resolved errand: the resident's answers, posted from the errand's
page. Refused answers come back on a page of their own with the errors marked."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aspa.audit.reads import Reader
from aspa.errors import Conflict, Forbidden, InvalidInput, NotFound
from aspa.identity.models import Role
from aspa.portal.forms import SurveyForm
from aspa.portal.views.guards import post_only_else_back_to, sign_in_url
from aspa.reports import operations, queries
from aspa.requests import queries as request_queries


@post_only_else_back_to("portal:request", "number")
@never_cache
def answer_survey(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect(sign_in_url(reverse("portal:request", args=[number])))
    if user.role != Role.RESIDENT:
        raise PermissionDenied
    try:
        item = request_queries.get_request_for(Reader.of(request), number)
    except NotFound:
        raise Http404 from None
    if not queries.may_answer(user, item):
        raise Http404  # a representative, or an errand still open: there is no survey to answer
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            operations.answer_survey(user, item, form.scores(), comment=form.cleaned_data["comment"],
                                     language=get_language() or "fi")
        except InvalidInput as refusal:
            form.add_refusal(refusal)
        except (Conflict, Forbidden) as refusal:
            messages.info(request, str(refusal))
            return redirect("portal:request", number=item.number)
        else:
            messages.success(request, _("Thank you for your answers. They help us improve our service."))
            return redirect(f"{reverse('portal:request', args=[item.number])}#survey-heading")
    return render(request, "portal/survey/page.html", {"item": item, "survey_form": form, "current": "home"},
                  status=422)
