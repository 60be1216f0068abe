"""The satisfaction questions residents answer after an errand (seed 002 slides 81–83: the
ASPA project's survey of customer benefit, service channels and quality of service), each on a
scale from 1 to 10."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LOWEST, HIGHEST = 1, 10
COMMENT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Question:
    field: str
    text: Promise


@dataclass(frozen=True)
class Group:
    key: str
    title: Promise
    questions: tuple[Question, ...]


GROUPS = (
    Group("benefit", _("Benefit to you"), (
        Question("knew_services", _("Did you know enough about the services on offer?")),
        Question("met_need", _("Did the service meet your need?")),
        Question("need_again", _("Will you need the services you used in the future too?")),
        Question("need_handled", _("Was your need taken care of?")),
        Question("life_improved", _("Has the service improved your life situation?")),
    )),
    Group("channels", _("Service channels"), (
        Question("started_in_channel", _("Could you start your errand in the channel you wanted?")),
        Question("served_in_channel", _("Did you get the service in the channel where you sought it?")),
        Question("could_follow", _("Could you follow the handling of your errand in that channel?")),
        Question("channel_easy", _("Was the service channel easy to use?")),
    )),
    Group("quality", _("Quality of the service"), (
        Question("enough_information", _("I received enough information.")),
        Question("treated_properly", _("I was treated properly.")),
        Question("competent_service", _("The service I received was competent.")),
        Question("fast_enough", _("I received the service quickly enough.")),
        Question("could_take_part", _("I could take part in planning the service I needed.")),
    )),
)

QUESTIONS = tuple(question for group in GROUPS for question in group.questions)
SCORE_FIELDS = tuple(question.field for question in QUESTIONS)
