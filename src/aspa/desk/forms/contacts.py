"""Forms of the desk's contact screen. They check the shape of the input and what is required
for the chosen outcome; the contacts app's operations check the rest, and their errors are put
back next to the fields here (see `add_operation_errors`)."""

import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspa.audit.reads import Reader
from aspa.catalogue import queries as catalogue
from aspa.contacts.models import ContactRequest, Outcome
from aspa.customers.queries import get_party_for
from aspa.errors import NotFound
from aspa.identity.models import Role, User
from aspa.identity.queries import active_staff

ANONYMOUS = "anonymous"
# Posts an advisor works at; the desk remembers the current one in the session.
POSTS = ("service_point", "phone")
DUE_FORMAT = "%Y-%m-%dT%H:%M"
# The outcomes the contact screen offers, in the order the advisor sees them.
OUTCOMES = [Outcome.ANSWERED, Outcome.REQUEST_FILED, Outcome.FORWARDED, Outcome.REDIRECTED]
OUTCOME_LABELS = {
    Outcome.ANSWERED: _("Answered – resolved at first contact"),
    Outcome.REQUEST_FILED: _("File a service request"),
    Outcome.FORWARDED: _("Forward with a contact request"),
    Outcome.REDIRECTED: _("Redirect elsewhere"),
}

# Where an operation's error about a field belongs on this screen.
OPERATION_FIELDS = {
    "description": "notes", "type": "request_type", "service": "topics", "topics": "topics", "channel": "channel",
    "party": "party", "to": "forward_to", "to_user": "forward_to", "to_team": "forward_to",
    "to_department": "forward_to", "due_at": "due_at", "due_date": "due_at", "about": "about",
    "preferred_channel": "preferred_channel", "contact_name": "caller_name", "contact.name": "caller_name",
    "contact_phone": "caller_phone", "contact.phone": "caller_phone", "contact_email": "caller_email",
    "contact.email": "caller_email", "organisation": "organisation", "guidance": "guidance", "message": "message",
    "language": "party", "outcome": "outcome",
}


def default_due_at() -> datetime.datetime:
    """Noon of the next day: a contact request promised "tomorrow" unless the advisor says otherwise."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(12, 0)))


def _channel_choices() -> list[tuple[str, str]]:
    return [(channel.code, channel.name) for channel in catalogue.active_channels()]


class StartContactForm(forms.Form):
    """The one step before the timer starts: where the advisor is, and the customer if known."""

    channel = forms.ChoiceField(label=_("Channel"))
    party = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["channel"].choices = _channel_choices()

    def clean_party(self):
        party_id = self.cleaned_data.get("party")
        if party_id is None:
            return None
        try:
            # The customer a contact starts with: the contact records them. Not audited, as before.
            return get_party_for(Reader.unaudited(self.user), party_id)
        except NotFound:
            raise forms.ValidationError(_("No such customer.")) from None


class ContactForm(forms.Form):
    """Everything recorded about one contact, and what was done about it."""

    channel = forms.ChoiceField(label=_("Channel"))
    party = forms.CharField(label=_("Customer"), required=False)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    caller_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=40)
    caller_email = forms.CharField(label=_("Caller's email"), required=False, max_length=254)
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=20_000)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(value, OUTCOME_LABELS[value]) for value in OUTCOMES])
    request_type = forms.ChoiceField(label=_("Request type"), required=False)
    forward_to = forms.ChoiceField(label=_("Who contacts the customer"), required=False)
    about = forms.CharField(label=_("About what"), required=False, max_length=20_000)
    due_at = forms.DateTimeField(label=_("Contact by"), required=False, input_formats=[DUE_FORMAT])
    preferred_channel = forms.ChoiceField(label=_("Contact the customer by"),
                                          choices=ContactRequest.PreferredChannel.choices,
                                          initial=ContactRequest.PreferredChannel.PHONE, required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    guidance = forms.CharField(label=_("Guidance given"), required=False, max_length=20_000)
    message = forms.CharField(label=_("Message to the customer by email"), required=False, max_length=20_000)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.party_found = None
        self.fields["channel"].choices = _channel_choices()
        self.fields["topics"].choices = [(entry.code, entry.code) for entry in catalogue.active_services()]
        self.fields["request_type"].choices = [("", _("Choose…"))] + [
            (entry.code, entry.name) for entry in catalogue.active_request_types()]
        self.fields["organisation"].choices = [("", _("Choose…"))] + sorted(
            ((entry.code, entry.name) for entry in catalogue.active_organisations()),
            key=lambda choice: choice[1].lower())
        self.fields["forward_to"].choices = forward_choices()
        # The guidance of the chosen organisation is shown as soon as it is picked.
        self.fields["organisation"].widget.attrs.update({
            "hx-get": reverse("desk:contact_guidance"), "hx-trigger": "change", "hx-target": "#organisation-guidance",
        })

    def describe_errors(self) -> None:
        """Point each invalid select at its error text, for screen readers (text inputs do it in the template)."""
        for name in ("request_type", "forward_to", "organisation"):
            if name in self.errors:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def clean_topics(self) -> list[str]:
        # A service ticked both in the search results and in the suggestions from the notes comes
        # twice; it is one topic, and the first one stays first (it becomes the request's service).
        return list(dict.fromkeys(self.cleaned_data.get("topics") or []))

    def clean_party(self):
        value = (self.cleaned_data.get("party") or "").strip()
        if value in ("", ANONYMOUS):
            return None
        try:
            # The contact's customer, checked: the contact records them. Not audited, as before.
            self.party_found = get_party_for(Reader.unaudited(self.user), int(value))
        except (ValueError, NotFound):
            raise forms.ValidationError(_("No such customer. Search again, or choose anonymous.")) from None
        return self.party_found.pk

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if not data.get("topics") and "topics" not in self.errors:
            self.add_error("topics", _("Pick at least one topic."))
        if outcome and outcome != Outcome.ANSWERED:
            self._require("request_type", "notes")
        if outcome == Outcome.FORWARDED:
            # About what: the notes unless the advisor wrote something else for the expert.
            data["about"] = (data.get("about") or "").strip() or (data.get("notes") or "").strip()
            self._require("forward_to", "about", "due_at")
            due_at = data.get("due_at")
            if due_at is not None and due_at < timezone.now() - datetime.timedelta(minutes=1):
                self.add_error("due_at", _("The contact-by time cannot be in the past."))
        if outcome == Outcome.REDIRECTED:
            self._require("organisation", "guidance")
        return data

    def _require(self, *names: str) -> None:
        for name in names:
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required."))

    def target(self) -> dict:
        """The chosen person, team or department as the operations take it."""
        kind, _separator, value = (self.cleaned_data.get("forward_to") or "").partition(":")
        return {"to_user": int(value) if kind == "user" else None, "to_team": value if kind == "team" else None,
                "to_department": value if kind == "department" else None}

    def add_operation_errors(self, fields: dict) -> None:
        for name, messages in fields.items():
            target = OPERATION_FIELDS.get(name)
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(target if target in self.fields else None, str(message))


def forward_choices() -> list:
    """Departments, teams and the staff who take contact requests, grouped: one query for the people,
    the catalogue's lists from memory."""
    departments = [(f"department:{entry.code}", entry.name) for entry in catalogue.active_departments()]
    teams = [(f"team:{entry.code}", f"{entry.name} ({entry.department.name})") for entry in catalogue.active_teams()]
    people = [(f"user:{person.pk}", f"{person.get_full_name() or person.username}"
               + (f" ({person.department.name})" if person.department else ""))
              for person in active_staff([Role.EXPERT, Role.ADVISOR, Role.SUPERVISOR])]
    return [("", _("Choose…")), (_("Departments"), sorted(departments, key=lambda c: c[1].lower())),
            (_("Teams"), sorted(teams, key=lambda c: c[1].lower())), (_("People"), people)]


class CloseContactRequestForm(forms.Form):
    outcome_note = forms.CharField(label=_("How did it go?"), required=False, max_length=20_000)
