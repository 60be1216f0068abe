"""Recording a resident's answers to the satisfaction survey."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.errors import Conflict, Forbidden, InvalidInput
from aspa.identity.models import User
from aspa.reports.models import SurveyResponse
from aspa.reports.queries import ANSWERABLE, is_own_errand
from aspa.reports.survey import COMMENT_MAX_LENGTH, HIGHEST, LOWEST, SCORE_FIELDS
from aspa.requests.models import ServiceRequest


def answer_survey(user: User, service_request: ServiceRequest, scores: dict[str, int | None],
                  comment: str = "", language: str = "fi") -> SurveyResponse:
    """Store the answers once. Scores are 1–10 or None for a question left unanswered; at least
    one question must be answered. Nothing is stored if anything is refused."""
    if not is_own_errand(user, service_request):
        raise Forbidden(_("Only the customer of this request can answer its survey."))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, int | None] = {}
    for field in SCORE_FIELDS:
        value = scores.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not LOWEST <= value <= HIGHEST):
            errors[field] = [_("Choose a number from %(lowest)s to %(highest)s.") % {"lowest": LOWEST, "highest": HIGHEST}]
        cleaned[field] = value
    unknown = set(scores) - set(SCORE_FIELDS)
    if unknown:
        errors["scores"] = [_("Unknown question: %(names)s.") % {"names": ", ".join(sorted(unknown))}]
    if not errors and all(value is None for value in cleaned.values()):
        errors["scores"] = [_("Answer at least one question.")]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [_("Write at most %(limit)s characters.") % {"limit": COMMENT_MAX_LENGTH}]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        # The row lock makes a double submission wait for the first one and then see its answer.
        locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        if locked.status not in ANSWERABLE:
            raise Conflict(_("The survey opens when your request has been resolved."))
        if SurveyResponse.objects.filter(request=locked).exists():
            raise Conflict(_("You have already answered the survey for this request. Thank you."))
        try:
            with transaction.atomic():
                return SurveyResponse.objects.create(
                    request=locked, department_id=locked.department_id, respondent=user, comment=comment,
                    language=(language or "fi")[:2], answered_at=timezone.now(), **cleaned)
        except IntegrityError:
            raise Conflict(_("You have already answered the survey for this request. Thank you.")) from None
