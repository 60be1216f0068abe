"""The resident's three forms on an errand's page. They only check what a browser sends; the
requests app's operations decide the rest and their refusals are put back on these fields."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from aspa.api.errors import InvalidInput
from aspa.requests.operations import MAX_TEXT


class PortalForm(forms.Form):
    def add_refusal(self, refusal: InvalidInput, field: str) -> None:
        """Show the operation's refusal next to `field` (the operation names its own field)."""
        fields = getattr(refusal, "fields", None) or {}
        for name, problems in fields.items():
            target = name if name in self.fields else field
            for problem in problems:
                self.add_error(target, str(problem))
        if not fields:
            self.add_error(field, str(refusal))


class AnswerForm(PortalForm):
    answer = forms.CharField(label=_("Your answer"), max_length=MAX_TEXT, strip=True,
                             error_messages={"required": _("Write your answer before sending it.")})
    # The version the resident saw: an answer to a question that has since changed is not sent.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MessageForm(PortalForm):
    body = forms.CharField(label=_("Your message"), max_length=MAX_TEXT, strip=True,
                           error_messages={"required": _("Write your message before sending it.")})


class AttachmentForm(PortalForm):
    file = forms.FileField(label=_("File"), error_messages={
        "required": _("Choose a file to add."),
        "empty": _("The file is empty."),
    })


def attachment_rules() -> str:
    return _("Accepted are PDF, images (JPEG, PNG, GIF), text and word-processor documents, at most %(limit)s.") % {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
