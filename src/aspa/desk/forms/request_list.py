from django import forms
from django.utils.translation import gettext_lazy as _

from aspa.catalogue.queries import active_services
from aspa.requests.models import Status

SORTS = {
    "due_date": ["due_date", "id"],
    "-due_date": ["-due_date", "-id"],
    "created_at": ["created_at", "id"],
    "-created_at": ["-created_at", "-id"],
}


class RequestListFilters(forms.Form):
    """The GET form above a request list. Invalid values are shown as errors and ignored."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("due_date", _("Due date, earliest first")),
        ("-due_date", _("Due date, latest first")),
        ("-created_at", _("Filed, newest first")),
        ("created_at", _("Filed, oldest first")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *((value, label.capitalize()) for value, label
                                                                  in Status.choices)]
        named = sorted((entry.name, entry.code) for entry in active_services())  # in the reader's language
        self.fields["service"].choices = [("", _("Any service")), *((code, name) for name, code in named)]

    def value(self, name: str) -> str:
        """The field's valid value, or "" when it was left out or is not valid (always bind the form)."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    def order_by(self) -> list[str]:
        return SORTS.get(self.value("sort") or "due_date", SORTS["due_date"])
