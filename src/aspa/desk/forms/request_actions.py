"""The forms of the actions on a request's desk page.

Each form checks what a browser can get wrong (required fields, choices, dates) and then
hands its values to one operation of the requests app, which checks the rest. Every form
carries the request's version (a save based on an older one is refused) and the last history
event its author saw (to tell them what changed if it is refused)."""

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aspa.catalogue import queries as catalogue
from aspa.catalogue.models import ExternalOrganisation
from aspa.identity.models import Role, User
from aspa.identity.queries import active_staff
from aspa.requests import operations
from aspa.requests.assignment import HANDLER_ROLES
from aspa.requests.models import Message, ServiceRequest
from aspa.requests.operations import ALLOWED_ACTIONS, Action

TEXT_ROWS = 4
TEXT_WIDGET_CLASS = "hds-text-input__input"


def _text(label: Promise, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=operations.MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": TEXT_ROWS, "class": TEXT_WIDGET_CLASS}))


def named_choices(entries, empty: Promise) -> list[tuple[str, str]]:
    # Sorted by the name in the reader's language, not by the code.
    return [("", empty), *sorted(((entry.code, entry.name) for entry in entries), key=lambda pair: pair[1].lower())]


def person_choices(users, empty: Promise) -> list[tuple[str, str]]:
    named = [(str(user.pk), user.get_full_name() or user.get_username()) for user in users]
    return [("", empty), *sorted(named, key=lambda pair: pair[1].lower())]


def staff_handlers(departments=None):
    return active_staff(HANDLER_ROLES, departments)


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, service_request: ServiceRequest, user: User, *args, key: str, **kwargs):
        # Ids unique per action: the page holds many of these forms; the field names stay plain.
        kwargs.setdefault("auto_id", f"id_{key}_%s")
        super().__init__(*args, **kwargs)
        self.service_request = service_request
        self.user = user

    def perform(self, actor: User, service_request: ServiceRequest, values: dict) -> None:
        raise NotImplementedError

    def add_operation_errors(self, fields: dict) -> None:
        """Errors an operation raised, next to the field they concern (or above the form)."""
        for name, messages in fields.items():
            field = name if name in self.fields else None
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(field, str(message))

    def describe_errors(self) -> None:
        """Tie each field's error text to the field for screen readers."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({
                    "aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}_error"})


class NoteForm(ActionForm):
    visibility = forms.ChoiceField(label=_("Who sees it"), widget=forms.RadioSelect, initial=Message.Visibility.INTERNAL,
                                   choices=[(Message.Visibility.INTERNAL, _("Internal note: staff only")),
                                            (Message.Visibility.CUSTOMER,
                                             _("Message to the customer (also sent by email)"))])
    body = _text(_("Message"))

    def perform(self, actor, service_request, values):
        operations.add_message(actor, service_request, body=values["body"], visibility=values["visibility"],
                               version=values["version"])


class AttachmentForm(ActionForm):
    file = forms.FileField(label=_("File"))
    visible_to_customer = forms.BooleanField(label=_("The customer may see the file"), required=False, initial=True)
    is_decision = forms.BooleanField(label=_("Decision document (shown in the customer's document bank)"),
                                     required=False)

    def perform(self, actor, service_request, values):
        operations.add_attachment(actor, service_request, values["file"],
                                  visible_to_customer=values["visible_to_customer"],
                                  is_decision=values["is_decision"], version=values["version"])


class ClassifyForm(ActionForm):
    service = forms.ChoiceField(label=_("Service"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = named_choices(catalogue.active_services(), _("Keep the service"))
        self.fields["department"].choices = named_choices(catalogue.active_departments(),
                                                           _("The service's department"))
        self.fields["product"].choices = named_choices(catalogue.active_products(), _("No product"))

    def perform(self, actor, service_request, values):
        operations.classify(actor, service_request, version=values["version"], service=values["service"] or None,
                            department=values["department"] or None, product=values["product"] or None)


class TakeForm(ActionForm):
    def perform(self, actor, service_request, values):
        operations.take(actor, service_request, version=values["version"])


class AssignForm(ActionForm):
    assignee = forms.ChoiceField(label=_("Handler"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The people and teams of the request's department and of the user's own.
        departments = {self.service_request.department_id, self.user.department_id} - {None}
        self.fields["assignee"].choices = person_choices(staff_handlers(departments), _("Nobody in particular"))
        self.fields["team"].choices = named_choices(catalogue.active_teams(departments), _("Keep the team"))

    def perform(self, actor, service_request, values):
        operations.assign(actor, service_request, version=values["version"],
                          assignee=int(values["assignee"]) if values["assignee"] else None,
                          team=values["team"] or None)


class RequestInformationForm(ActionForm):
    question = _text(_("What do you need from the customer?"))

    def perform(self, actor, service_request, values):
        operations.request_information(actor, service_request, version=values["version"], question=values["question"])


class ProvideInformationForm(ActionForm):
    answer = _text(_("The customer's answer"))

    def perform(self, actor, service_request, values):
        operations.provide_information(actor, service_request, version=values["version"], answer=values["answer"])


class ForwardForm(ActionForm):
    to_user = forms.ChoiceField(label=_("To a person"), required=False)
    to_team = forms.ChoiceField(label=_("To a team"), required=False)
    to_department = forms.ChoiceField(label=_("To a department"), required=False)
    to_organisation = forms.ChoiceField(label=_("To another organisation"), required=False)
    note = _text(_("Note to the handler"), required=False)
    due_date = forms.DateField(label=_("Due date (optional)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date", "class": TEXT_WIDGET_CLASS},
                                                      format="%Y-%m-%d"))
    TARGETS = ("to_user", "to_team", "to_department", "to_organisation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nobody = _("Choose…")
        handlers = staff_handlers().exclude(pk=self.user.pk)
        self.fields["to_user"].choices = person_choices(handlers, nobody)
        self.fields["to_team"].choices = named_choices(catalogue.active_teams(), nobody)
        self.fields["to_department"].choices = named_choices(catalogue.active_departments(), nobody)
        self.fields["to_organisation"].choices = named_choices(catalogue.active_organisations(), nobody)

    def clean(self):
        values = super().clean()
        if sum(1 for name in self.TARGETS if values.get(name)) != 1:
            raise forms.ValidationError(_("Choose exactly one: a person, a team, a department or an organisation."),
                                        code="one_target")
        return values

    def perform(self, actor, service_request, values):
        operations.forward(actor, service_request, version=values["version"],
                           to_user=int(values["to_user"]) if values["to_user"] else None,
                           to_team=values["to_team"] or None, to_department=values["to_department"] or None,
                           to_organisation=values["to_organisation"] or None, note=values["note"],
                           due_date=values["due_date"])

    def add_operation_errors(self, fields: dict) -> None:
        # The operation names the whole choice "to"; it belongs above the four lists.
        super().add_operation_errors({("__all__" if name == "to" else name): messages
                                      for name, messages in fields.items()})


class RedirectForm(ActionForm):
    organisation = forms.ChoiceField(label=_("Organisation"))
    guidance = _text(_("Guidance given"))
    message = _text(_("Message to the customer by email (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = named_choices(catalogue.active_organisations(), _("Choose…"))
        # The organisation's own guidance is shown as soon as it is picked (the contact screen's view).
        # The action form's swap of the whole page must not be inherited by this small request.
        self.fields["organisation"].widget.attrs.update({
            "hx-get": reverse("desk:contact_guidance"), "hx-trigger": "change", "hx-target": "#redirect-guidance",
            "hx-swap": "innerHTML", "hx-select": "unset", "hx-select-oob": "unset",
            "aria-controls": "redirect-guidance"})

    def chosen_organisation(self) -> ExternalOrganisation | None:
        """The organisation picked before a refusal, so that its guidance is shown again."""
        code = self.data.get("organisation") if self.is_bound else None
        return catalogue.organisation(code)

    def perform(self, actor, service_request, values):
        operations.redirect(actor, service_request, version=values["version"], guidance=values["guidance"],
                            organisation=values["organisation"], message=values["message"])


class ResolveForm(ActionForm):
    resolution = _text(_("Resolution or decision"))
    first_contact = forms.BooleanField(label=_("Resolved at first contact"), required=False)

    def perform(self, actor, service_request, values):
        operations.resolve(actor, service_request, version=values["version"], resolution=values["resolution"],
                           first_contact=values["first_contact"])


class ReopenForm(ActionForm):
    reason = _text(_("Why is it reopened?"))

    def perform(self, actor, service_request, values):
        operations.reopen(actor, service_request, version=values["version"], reason=values["reason"])


class CloseForm(ActionForm):
    def perform(self, actor, service_request, values):
        operations.close(actor, service_request, version=values["version"])


@dataclass(frozen=True)
class DeskAction:
    key: str
    title: Promise
    button: Promise
    form: type[ActionForm]
    # The life-cycle action it is, if any: then the request's status decides whether it is offered.
    action: Action | None = None
    # The key that opens its form (listed on the keyboard help); one per action, never "n", "/" or "?".
    shortcut: str = ""
    # Who may do it on the desk.
    roles: tuple[str, ...] = (Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN)


CENTRE = (Role.ADVISOR, Role.SUPERVISOR, Role.ADMIN)

DESK_ACTIONS = (
    DeskAction("take", _("Take into handling"), _("Take into handling"), TakeForm, Action.TAKE, shortcut="t"),
    DeskAction("note", _("Add a note or a message"), _("Save the message"), NoteForm, shortcut="m"),
    DeskAction("request_information", _("Ask the customer for more information"), _("Send the question"),
               RequestInformationForm, Action.REQUEST_INFORMATION, shortcut="i"),
    DeskAction("provide_information", _("Record the customer's answer"), _("Save the answer"),
               ProvideInformationForm, Action.PROVIDE_INFORMATION, shortcut="p"),
    DeskAction("resolve", _("Resolve"), _("Resolve the request"), ResolveForm, Action.RESOLVE, shortcut="r"),
    DeskAction("forward", _("Forward"), _("Forward the request"), ForwardForm, Action.FORWARD, shortcut="f"),
    DeskAction("redirect", _("Redirect elsewhere"), _("Redirect the customer"), RedirectForm, Action.REDIRECT,
               shortcut="e"),
    DeskAction("assign", _("Assign"), _("Assign"), AssignForm, Action.ASSIGN, shortcut="s"),
    DeskAction("classify", _("Reclassify"), _("Save the classification"), ClassifyForm, Action.CLASSIFY,
               shortcut="c"),
    DeskAction("attach", _("Attach a file"), _("Attach the file"), AttachmentForm, shortcut="a"),
    DeskAction("reopen", _("Reopen"), _("Reopen the request"), ReopenForm, Action.REOPEN, shortcut="o"),
    # The centre follows a forwarded request to its end: closing it is the centre's.
    DeskAction("close", _("Close"), _("Close the request"), CloseForm, Action.CLOSE, roles=CENTRE, shortcut="x"),
)
DESK_ACTIONS_BY_KEY = {entry.key: entry for entry in DESK_ACTIONS}


def may_use_role(entry: DeskAction, user: User) -> bool:
    return user.role in entry.roles


def allowed_now(entry: DeskAction, service_request: ServiceRequest) -> bool:
    return entry.action is None or entry.action in ALLOWED_ACTIONS[service_request.status]


def available_actions(user: User, service_request: ServiceRequest) -> list[DeskAction]:
    """The actions the user may take on the request in its current status, in the panel's order."""
    return [entry for entry in DESK_ACTIONS if may_use_role(entry, user) and allowed_now(entry, service_request)]
