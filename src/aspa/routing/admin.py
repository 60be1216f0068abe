"""The routing rules and classifiers in the admin.

An administrator uploads a DMN file (a broken one is refused with the parser's message), downloads
any version to edit it in a modeler, tries a version against a sample request, and publishes it.
Versions are never edited: a change is a new upload."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspa.catalogue.models import Channel, RequestType, Segment, Service
from aspa.errors import DomainError, InvalidInput
from aspa.routing import operations, queries
from aspa.routing.models import ClassifierModel, RuleSet

MAX_UPLOAD = 1024 * 1024


class UploadForm(forms.ModelForm):
    file = forms.FileField(label=gettext_lazy("DMN file"),
                           help_text=gettext_lazy("A DMN 1.3 file with one decision table, for example from bpmn.io."))

    class Meta:
        model = RuleSet
        fields = ("comment",)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large."))
        content = upload.read()
        try:
            operations.check_rule_file(content)
        except InvalidInput as error:
            raise forms.ValidationError([str(message) for message in error.fields.get("file", [error.message])]) \
                from None
        self.content = content
        return upload


def _choices(queryset, empty):
    return [("", empty), *((entry.code, f"{entry.name} ({entry.code})") for entry in queryset)]


class TryForm(forms.Form):
    """A sample request: the facts a rule may ask about."""

    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Request type"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=[("fi", "suomi"), ("sv", "svenska"),
                                                                          ("en", "English")])
    segments = forms.MultipleChoiceField(label=gettext_lazy("Customer segments"), required=False)
    postal_code = forms.CharField(label=gettext_lazy("Postal code"), max_length=10, required=False)
    text = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=queries.MAX_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = _choices(Service.objects.filter(active=True), _("No service"))
        self.fields["type"].choices = _choices(RequestType.objects.filter(active=True), "–")
        self.fields["channel"].choices = _choices(Channel.objects.filter(active=True), "–")
        self.fields["segments"].choices = _choices(Segment.objects.filter(active=True), "")[1:]

    def facts(self) -> queries.Facts:
        values = self.cleaned_data
        return queries.Facts(service=values["service"] or None, type=values["type"] or None,
                             channel=values["channel"] or None, language=values["language"],
                             segments=tuple(values["segments"]), postal_code=values["postal_code"].strip(),
                             text=values["text"])


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("version", "name", "file_name", "is_active", "uploaded_at", "uploaded_by", "published_at")
    list_filter = ("is_active",)
    readonly_fields = ("version", "name", "file_name", "comment", "is_active", "uploaded_by", "uploaded_at",
                       "published_by", "published_at")
    exclude = ("dmn",)
    form = UploadForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("file", "comment")
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Viewing a version is allowed; its fields are read-only and its file never changes.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_active)

    def save_model(self, request, obj, form, change):
        try:
            created = operations.upload_rule_set(request.user, content=form.content, file_name=form.cleaned_data[
                "file"].name, comment=form.cleaned_data.get("comment", ""))
        except DomainError as error:
            raise PermissionDenied(str(error.message)) from error
        obj.pk = created.pk
        obj.__dict__.update({name: getattr(created, name) for name in ("version", "name", "file_name", "dmn",
                                                                        "uploaded_at", "uploaded_by_id")})

    def get_urls(self):
        own = [
            path("<int:pk>/download/", self.admin_site.admin_view(self.download), name="routing_ruleset_download"),
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish), name="routing_ruleset_publish"),
            path("<int:pk>/try/", self.admin_site.admin_view(self.try_it), name="routing_ruleset_try"),
        ]
        return own + super().get_urls()

    def _rule_set(self, request, pk: int) -> RuleSet:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(RuleSet, pk=pk)

    def download(self, request, pk: int):
        rule_set = self._rule_set(request, pk)
        response = HttpResponse(rule_set.dmn, content_type="application/xml; charset=utf-8")
        name = rule_set.file_name.rsplit(".", 1)[0] or "rules"
        response["Content-Disposition"] = f'attachment; filename="{name}-v{rule_set.version}.dmn"'
        return response

    def publish(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        rule_set = self._rule_set(request, pk)
        try:
            operations.publish_rule_set(request.user, rule_set)
        except InvalidInput as error:
            self.message_user(request, "; ".join(str(message) for message in error.fields.get("file", [])),
                              messages.ERROR)
        except DomainError as error:
            raise PermissionDenied(str(error.message)) from error
        else:
            self.message_user(request, _("Version %(version)s now routes every new and reclassified request.")
                              % {"version": rule_set.version}, messages.SUCCESS)
        return redirect(reverse("admin:routing_ruleset_change", args=[rule_set.pk]))

    def try_it(self, request, pk: int):
        rule_set = self._rule_set(request, pk)
        form = TryForm(request.POST or None)
        result = None
        tried = False
        if request.method == "POST" and form.is_valid():
            tried = True
            try:
                result = operations.try_rule_set(request.user, rule_set, form.facts())
            except InvalidInput as error:
                form.add_error(None, "; ".join(str(message) for message in error.fields.get("file", [])))
            except DomainError as error:
                raise PermissionDenied(str(error.message)) from error
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs.update({"aria-invalid": "true"})
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": rule_set,
            "title": _("Try routing rules v%(version)s") % {"version": rule_set.version},
            "form": form, "result": result, "tried": tried,
        }
        return TemplateResponse(request, "admin/routing/ruleset/try.html", context)


def _figure(value) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "–"


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    """Trained with `aspa routing train`; the published one is in use. A model whose
    cross-validated figures were below those of the model in use is a candidate, published here by
    an administrator, as is an earlier model to restore it."""

    list_display = ("created_at", "is_active", "score", "service_top1", "department_top1", "source", "examples",
                    "trained_by", "published_at")
    list_filter = ("is_active",)
    readonly_fields = ("created_at", "is_active", "published_at", "published_by", "source", "examples", "trained_by",
                       "figures", "summary")
    exclude = ("model",)
    actions = ("publish",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("score (cross-validated)"))
    def score(self, obj: ClassifierModel) -> str:
        return _figure(obj.figures.get("score"))

    @admin.display(description=gettext_lazy("service top-1"))
    def service_top1(self, obj: ClassifierModel) -> str:
        return _figure(obj.figures.get("text_only", {}).get("service_top1"))

    @admin.display(description=gettext_lazy("department top-1"))
    def department_top1(self, obj: ClassifierModel) -> str:
        return _figure(obj.figures.get("text_only", {}).get("department_top1"))

    @admin.action(description=gettext_lazy("Publish the selected classifier (use it from the next suggestion)"))
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one classifier to publish."), messages.ERROR)
            return
        model = queryset.defer("model").get()
        try:
            operations.publish_classifier(model, by=request.user)
        except DomainError as error:
            raise PermissionDenied(str(error.message)) from error
        self.message_user(request, _("Classifier %(trained)s is now in use.")
                          % {"trained": f"{model.created_at:%Y-%m-%d %H:%M}"}, messages.SUCCESS)
