"""Administrators edit forms here, without a deploy. A form's questions are published as a new
version: the schema is checked before anything is saved, and a saved version is never edited
(drafts and submissions made on it keep meaning what they meant)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from aspa.eforms import schema as form_schema
from aspa.eforms.models import FormDefinition, FormVersion, Submission
from aspa.eforms.operations import publish_version


class FormVersionForm(forms.ModelForm):
    class Meta:
        model = FormVersion
        fields = ["form", "schema"]
        widgets = {"schema": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"})}

    def clean_schema(self):
        data = self.cleaned_data["schema"]
        try:
            form_schema.parse(data)
        except ValidationError as problem:
            raise forms.ValidationError([_("The questions are not valid:")] + form_schema.readable_errors(problem)
                                        ) from None
        return data


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    form = FormVersionForm
    list_display = ["form", "number", "created_at", "created_by"]
    list_filter = ["form"]
    readonly_fields = ["number", "created_at", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        # A published version is a record of what residents answered: to change it, publish a new one.
        if obj is not None:
            return ["form", "schema", *self.readonly_fields]
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        """A new version starts as a copy of the form's newest one (?form=<id>)."""
        initial = super().get_changeform_initial_data(request)
        latest = FormVersion.objects.filter(form_id=initial.get("form")).order_by("-number").first()
        if latest is not None:
            initial["schema"] = latest.schema
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            return
        published = publish_version(obj.form, obj.schema, by=request.user)
        obj.pk, obj.number, obj.created_at = published.pk, published.number, published.created_at

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not obj.drafts.exists() and not obj.submissions.exists()


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    fields = ["number", "created_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    list_display = ["code", "title_fi", "service", "request_type", "allow_anonymous", "active"]
    list_filter = ["active", "allow_anonymous", "service"]
    search_fields = ["code", "title_fi", "title_sv", "title_en"]
    inlines = [FormVersionInline]
    readonly_fields = ["publish_link"]

    @admin.display(description=_("questions"))
    def publish_link(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the form first, then publish its questions as version 1.")
        url = reverse("admin:eforms_formversion_add") + f"?form={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Publish a new version of the questions"))


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["request", "version", "language", "created_at"]
    list_filter = ["version__form"]
    readonly_fields = ["token", "version", "request", "answers", "language", "submitted_by", "created_at"]
    exclude = ["session_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
