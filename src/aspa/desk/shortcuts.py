"""The keys that work only on one desk page, listed on that page's keyboard help.

The page's elements carry the same key in data-shortcut (static/aspa/desk-shortcuts.js reads
it when the key is pressed), so the help and the keys cannot drift apart as long as both are
made from the lists here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aspa.desk.forms.request_actions import DeskAction


@dataclass(frozen=True)
class Shortcut:
    key: str
    label: Promise | str


def request_page(actions: list[DeskAction]) -> list[Shortcut]:
    """One key per action the user may take on the request now: it opens the action's form."""
    return [Shortcut(entry.shortcut, entry.title) for entry in actions if entry.shortcut]


# The contact screen's fields; the outcomes are numbered in the order the screen lists them.
CONTACT_CUSTOMER = "c"
CONTACT_TOPICS = "t"
CONTACT_NOTES = "w"
CONTACT_RECORD = "s"


def contact_screen(outcome_choices) -> list[Shortcut]:
    fixed = [
        Shortcut(CONTACT_CUSTOMER, _("Go to the customer search")),
        Shortcut(CONTACT_TOPICS, _("Go to the topic search")),
        Shortcut(CONTACT_NOTES, _("Write the notes")),
    ]
    outcomes = [Shortcut(str(number), _("Outcome: %(outcome)s") % {"outcome": label})
                for number, (_value, label) in enumerate(outcome_choices, start=1)]
    return [*fixed, *outcomes, Shortcut(CONTACT_RECORD, _("Go to the button that records the contact"))]
