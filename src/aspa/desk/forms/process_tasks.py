from django import forms
from django.utils.translation import gettext_lazy as _

from aspa.processes.models import ProcessTask


class TaskCompletionForm(forms.Form):
    """Complete a process task: one of the task's choices, and a note where the task asks for one."""

    choice = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                               error_messages={"required": _("Choose one of the options.")})
    note = forms.CharField(label=_("Notes"), required=False, max_length=5_000,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "hds-text-input__textarea"}))

    def __init__(self, task: ProcessTask, *args, **kwargs):
        # Ids unique per task: a request page may show several tasks.
        kwargs.setdefault("auto_id", f"id_task{task.pk}_%s")
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["choice"].choices = task.choices()
        note = task.form.get("note", "")
        if not note:
            del self.fields["note"]
        else:
            self.fields["note"].required = note == "required"
            self.fields["note"].label = task.note_label() or _("Notes")

    def add_operation_errors(self, fields: dict) -> None:
        for name, messages in fields.items():
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(name if name in self.fields else None, str(message))

    def describe_errors(self) -> None:
        """Tie each field's error text to the field for screen readers."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({
                    "aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}_error"})
