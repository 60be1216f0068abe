"""The resident's forms: the three on an errand's page, whom to act for, their own details and the
satisfaction survey. They only check what a browser sends; the operations decide the rest and
their refusals are put back on these fields."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from aspa.customers import preferences
from aspa.customers.models import ContactPoint, Party
from aspa.customers.validation import normalise_email, normalise_phone
from aspa.errors import InvalidInput
from aspa.reports.survey import COMMENT_MAX_LENGTH, GROUPS, HIGHEST, LOWEST, QUESTIONS
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


class ActForForm(forms.Form):
    """Whom the resident acts for; the choices are themselves and their valid mandates."""

    party = forms.TypedChoiceField(label=_("Act for"), coerce=int, widget=forms.RadioSelect,
                                   error_messages={"invalid_choice": _("You have no valid mandate for this.")})

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(party.pk, party_label(party)) for party in parties]


def party_label(party) -> str:
    """“Yritys Oy (1234567-8)” for an organisation; a person is the resident themselves."""
    if party.kind == party.Kind.ORGANISATION:
        return f"{party.display_name} ({party.business_id})" if party.business_id else party.display_name
    return str(_("Myself (%(name)s)") % {"name": party.display_name})


_LANGUAGE_NAMES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]  # each named in itself


class DetailsForm(PortalForm):
    """What a resident may correct themselves: contact details, language and notifications.

    The primary email, phone and address are edited; others the city has are kept. Values are
    checked with the customer register's own rules (aspa.customers.validation) here, so the error
    shows next to the field, and again by the operation that saves them."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    email = forms.CharField(label=_("Email"), required=False, max_length=254, strip=True)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40, strip=True,
                            help_text=_("For example 040 123 4567 or +358 40 123 4567."))
    street = forms.CharField(label=_("Street address"), required=False, max_length=200, strip=True)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=10, strip=True)
    city = forms.CharField(label=_("Post office"), required=False, max_length=100, strip=True)
    language = forms.ChoiceField(label=_("Language"), choices=_LANGUAGE_NAMES, widget=forms.RadioSelect,
                                 help_text=_("The language of the e-service and of our messages to you."))
    contact_preference = forms.ChoiceField(label=_("How we contact you"), choices=Party.Preference.choices)
    email_messages = forms.BooleanField(label=_("Email me when the city sends me a message or a question"),
                                        required=False)
    email_status = forms.BooleanField(label=_("Email me when my errand is passed on, redirected or resolved"),
                                      required=False)
    sms_messages = forms.BooleanField(label=_("Text me when the city sends me a message or a question"),
                                      required=False)
    sms_status = forms.BooleanField(label=_("Text me when my errand is passed on, redirected or resolved"),
                                    required=False)

    PREFERENCE_FIELDS = {"email_messages": preferences.EMAIL_MESSAGES, "email_status": preferences.EMAIL_STATUS,
                         "sms_messages": preferences.SMS_MESSAGES, "sms_status": preferences.SMS_STATUS}
    # Where the operation's field names ("emails.0") are shown on this form.
    OPERATION_FIELDS = {"emails": "email", "phones": "phone", "addresses": "street", "language": "language",
                        "contact_preference": "contact_preference", "version": "version"}

    def __init__(self, *args, offers_sms: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers_sms = offers_sms
        if not offers_sms:
            # Text messages are offered once the city has a phone number to send them to.
            del self.fields["sms_messages"], self.fields["sms_status"]

    @classmethod
    def for_party(cls, party: Party, **kwargs) -> "DetailsForm":
        points = list(party.contact_points.all())
        email = next((point for point in points if point.kind == ContactPoint.Kind.EMAIL), None)
        phone = next((point for point in points if point.kind == ContactPoint.Kind.PHONE), None)
        address = next((point for point in points if point.kind == ContactPoint.Kind.ADDRESS), None)
        chosen = preferences.notification_preferences(party, party.consents.all())
        initial = {
            "version": party.version, "email": email.value if email else "", "phone": phone.value if phone else "",
            "street": address.street if address else "", "postal_code": address.postal_code if address else "",
            "city": address.city if address else "", "language": party.language,
            "contact_preference": party.contact_preference,
            **{field: chosen[purpose] for field, purpose in cls.PREFERENCE_FIELDS.items()},
        }
        return cls(initial=initial, offers_sms=phone is not None, **kwargs)

    @staticmethod
    def offers_sms_to(party: Party) -> bool:
        """Text messages are offered once the city has a phone number to send them to."""
        return any(point.kind == ContactPoint.Kind.PHONE for point in party.contact_points.all())

    def _normalised(self, field: str, normalise) -> str:
        value = self.cleaned_data.get(field, "")
        if not value:
            return ""
        try:
            return normalise(value, field)
        except InvalidInput as refusal:
            self.add_refusal(refusal, field)
            return value

    def clean_email(self) -> str:
        return self._normalised("email", normalise_email)

    def clean_phone(self) -> str:
        return self._normalised("phone", normalise_phone)

    def clean_postal_code(self) -> str:
        # The register refuses the whole address; checked here, the error stands next to the
        # postal code instead of the street, and in the same round as the other fields' errors.
        value = self.cleaned_data.get("postal_code", "").replace(" ", "")
        if value and not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError(_("A Finnish postal code has five digits."))
        return value

    def clean(self):
        cleaned = super().clean()
        # A part refused on its own (a bad postal code) was given: its error is enough.
        address = [cleaned.get(name) or self.has_error(name) for name in ("street", "postal_code", "city")]
        if any(address) and not all(address):
            self.add_error("street", _("Give the street address, the postal code and the post office, "
                                       "or leave all three empty."))
        if self.offers_sms and (cleaned.get("sms_messages") or cleaned.get("sms_status")) and not cleaned.get("phone"):
            self.add_error("phone", _("Give a phone number for the text messages, or turn them off."))
        # The way we are to contact them needs the detail to contact them with.
        needed = {Party.Preference.EMAIL: "email", Party.Preference.SMS: "phone", Party.Preference.PHONE: "phone",
                  Party.Preference.LETTER: "street"}.get(cleaned.get("contact_preference"))
        if needed and not cleaned.get(needed) and not self.has_error(needed):
            self.add_error("contact_preference", _("Give the contact detail this needs above, or choose another way."))
        return cleaned

    def changes(self, party: Party) -> dict:
        """The change for customers.operations.update_party: the edited point first (primary),
        the others the city has after it, unchanged."""
        values = self.cleaned_data
        points = list(party.contact_points.all())

        def replaced(kind: str, edited: dict | None) -> list[dict]:
            own = [point for point in points if point.kind == kind]
            others = [_as_item(point) for point in own[1:]]
            return ([{**edited, "is_primary": True}] if edited else []) + others

        address = ({"street": values["street"], "postal_code": values["postal_code"], "city": values["city"],
                    "country": "FI"} if values["street"] else None)
        consents = {purpose: values[field] for field, purpose in self.PREFERENCE_FIELDS.items() if field in values}
        return {
            "emails": replaced(ContactPoint.Kind.EMAIL, {"value": values["email"]} if values["email"] else None),
            "phones": replaced(ContactPoint.Kind.PHONE, {"value": values["phone"]} if values["phone"] else None),
            "addresses": replaced(ContactPoint.Kind.ADDRESS, address),
            "language": values["language"],
            "contact_preference": values["contact_preference"],
            "consents": consents,
        }

    def add_operation_refusal(self, refusal: InvalidInput) -> None:
        """The operation's fields ("emails.0", "consents") shown next to this form's fields."""
        for name, problems in (getattr(refusal, "fields", None) or {}).items():
            target = self.OPERATION_FIELDS.get(name.split(".")[0])
            for problem in problems if isinstance(problems, list) else [problems]:
                self.add_error(target, str(problem))
        if not getattr(refusal, "fields", None):
            self.add_error(None, str(refusal))


def _as_item(point: ContactPoint) -> dict:
    if point.kind == ContactPoint.Kind.ADDRESS:
        return {"street": point.street, "postal_code": point.postal_code, "city": point.city,
                "country": point.country, "label": point.label}
    return {"value": point.value, "label": point.label}


# The satisfaction survey as the resident sees it: one group of ten choices per question.
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
