"""The satisfaction survey as the resident sees it: one group of ten choices per question."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aspa.errors import InvalidInput
from aspa.reports.survey import COMMENT_MAX_LENGTH, GROUPS, HIGHEST, LOWEST, QUESTIONS

SCALE = [(str(score), str(score)) for score in range(LOWEST, HIGHEST + 1)]
SCORES = [str(score) for score in range(LOWEST, HIGHEST + 1)]


class SurveyForm(forms.Form):
    score_choices = SCORES
    comment = forms.CharField(label=_("Anything else you would like to tell us? (optional)"), required=False,
                              max_length=COMMENT_MAX_LENGTH, strip=True, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "survey_%s")
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.field] = forms.TypedChoiceField(
                label=question.text, choices=SCALE, coerce=int, empty_value=None, required=False,
                widget=forms.RadioSelect, error_messages={"invalid_choice": _(
                    "Choose a number from %(lowest)s to %(highest)s.") % {"lowest": LOWEST, "highest": HIGHEST}})

    def scores(self) -> dict[str, int | None]:
        return {question.field: self.cleaned_data.get(question.field) for question in QUESTIONS}

    def grouped(self) -> list[dict]:
        """The questions under their group titles, for the template: plain values rather than
        Django's radio widgets, which cost more to render than the rest of the errand page."""
        groups = []
        for group in GROUPS:
            questions = []
            for question in group.questions:
                bound = self[question.field]
                value = bound.value() if self.is_bound else None
                questions.append({"name": bound.html_name, "id": bound.auto_id, "label": question.text,
                                  "value": str(value) if value not in (None, "") else "",
                                  "errors": self.errors.get(question.field, []) if self.is_bound else []})
            groups.append({"key": group.key, "title": group.title, "questions": questions})
        return groups

    def add_refusal(self, refusal: InvalidInput) -> None:
        for name, problems in (getattr(refusal, "fields", None) or {}).items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, str(problem))
