from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aspa.reports.survey import HIGHEST, LOWEST, QUESTIONS


def _score(text) -> models.PositiveSmallIntegerField:
    # Empty when the resident left the question unanswered ("cannot say").
    return models.PositiveSmallIntegerField(text, null=True, blank=True,
                                            validators=[MinValueValidator(LOWEST), MaxValueValidator(HIGHEST)])


class SurveyResponse(models.Model):
    """A resident's answers to the satisfaction questions about one resolved or closed errand."""

    request = models.OneToOneField("requests.ServiceRequest", verbose_name=_("service request"),
                                   on_delete=models.CASCADE, related_name="survey_response")
    # The department that handled the errand when it was answered: reports group by it.
    department = models.ForeignKey("catalogue.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("respondent"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=2)
    answered_at = models.DateTimeField(_("answered"), db_index=True)
    # The questions of reports/survey.py, in its order.
    knew_services = _score(_("Did you know enough about the services on offer?"))
    met_need = _score(_("Did the service meet your need?"))
    need_again = _score(_("Will you need the services you used in the future too?"))
    need_handled = _score(_("Was your need taken care of?"))
    life_improved = _score(_("Has the service improved your life situation?"))
    started_in_channel = _score(_("Could you start your errand in the channel you wanted?"))
    served_in_channel = _score(_("Did you get the service in the channel where you sought it?"))
    could_follow = _score(_("Could you follow the handling of your errand in that channel?"))
    channel_easy = _score(_("Was the service channel easy to use?"))
    enough_information = _score(_("I received enough information."))
    treated_properly = _score(_("I was treated properly."))
    competent_service = _score(_("The service I received was competent."))
    fast_enough = _score(_("I received the service quickly enough."))
    could_take_part = _score(_("I could take part in planning the service I needed."))

    class Meta:
        verbose_name = _("satisfaction survey answer")
        verbose_name_plural = _("satisfaction survey answers")
        ordering = ["-answered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{question.field}__isnull": True}) | Q(**{f"{question.field}__range": (LOWEST, HIGHEST)}),
                name=f"reports_survey_{question.field}_1_to_10")
            for question in QUESTIONS
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.answered_at:%Y-%m-%d}"
