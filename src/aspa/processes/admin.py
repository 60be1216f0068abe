"""Processes in the admin: upload a BPMN file as a new version, download any version, see a
version as a diagram (bpmn-js), and see the running instances and where each one stands."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspa.errors import Forbidden, InvalidInput
from aspa.processes import operations, queries
from aspa.processes.models import ProcessDefinition, ProcessInstance, ProcessTask, ProcessVersion


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("BPMN file"), widget=forms.ClearableFileInput(attrs={"accept": ".bpmn,.xml"}))


class VersionInline(admin.TabularInline):
    model = ProcessVersion
    extra = 0
    can_delete = False
    fields = ["number", "file_name", "uploaded_by", "uploaded_at", "links"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("File and diagram"))
    def links(self, version: ProcessVersion) -> str:
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("admin:processes_processversion_download", args=[version.pk]), _("Download"),
                           reverse("admin:processes_processversion_diagram", args=[version.pk]), _("Diagram"))


def _diagram(request: HttpRequest, admin_site, version: ProcessVersion, instance: ProcessInstance | None = None):
    active = queries.active_elements(instance) if instance is not None else []
    title = (_("%(process)s, version %(number)s") % {"process": version.definition.name, "number": version.number})
    context = {
        **admin_site.each_context(request), "title": title, "version": version, "instance": instance,
        "xml": version.bpmn_xml, "active": active, "steps": queries.steps_of(version, active),
        "not_connected": queries.not_connected_steps(version),
        "open_tasks": list(instance.tasks.filter(completed_at__isnull=True).select_related("team", "department"))
        if instance is not None else [],
    }
    return TemplateResponse(request, "processes/admin/diagram.html", context)


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "service", "active", "latest", "diagram"]
    list_select_related = ["service"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "service", "active"]
    inlines = [VersionInline]
    change_form_template = "processes/admin/definition_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    @admin.display(description=gettext_lazy("latest version"))
    def latest(self, definition: ProcessDefinition):
        version = definition.latest_version()
        return version.number if version is not None else "–"

    @admin.display(description=gettext_lazy("diagram"))
    def diagram(self, definition: ProcessDefinition) -> str:
        version = definition.latest_version()
        if version is None:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:processes_processversion_diagram", args=[version.pk]),
                           _("Diagram"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/upload/", wrap(self.upload), name="processes_processdefinition_upload"),
            path("versions/<int:pk>/download/", wrap(self.download), name="processes_processversion_download"),
            path("versions/<int:pk>/diagram/", wrap(self.version_diagram), name="processes_processversion_diagram"),
            *super().get_urls(),
        ]

    def upload(self, request: HttpRequest, pk: int) -> HttpResponse:
        definition = get_object_or_404(ProcessDefinition, pk=pk)
        if not self.has_change_permission(request, definition):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = operations.publish_version(request.user, code=definition.code, content=upload.read(),
                                                     file_name=upload.name)
            except InvalidInput as error:
                for message in error.fields.get("file", []) or [str(error.message)]:
                    form.add_error("file", message)
            except Forbidden as refusal:
                raise PermissionDenied from refusal
            else:
                self.message_user(request, _("Version %(number)s of %(process)s is published.")
                                  % {"number": version.number, "process": definition.name}, messages.SUCCESS)
                for step in queries.not_connected_steps(version):
                    self.message_user(request, f"{step['label']}: {step['explanation']}", messages.WARNING)
                return redirect("admin:processes_processdefinition_change", definition.pk)
        if form.errors:
            form.fields["file"].widget.attrs.update({"aria-invalid": "true",
                                                     "aria-describedby": f"{form['file'].auto_id}_error"})
        context = {**self.admin_site.each_context(request), "title": _("Upload a new version"), "form": form,
                   "definition": definition, "opts": self.opts}
        return TemplateResponse(request, "processes/admin/upload.html", context,
                                status=422 if form.errors else 200)

    def download(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(ProcessVersion.objects.select_related("definition"), pk=pk)
        if not self.has_view_permission(request, version.definition):
            raise PermissionDenied
        response = HttpResponse(version.bpmn_xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{version.definition.code}-v{version.number}.bpmn"'
        return response

    def version_diagram(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(ProcessVersion.objects.select_related("definition"), pk=pk)
        if not self.has_view_permission(request, version.definition):
            raise PermissionDenied
        return _diagram(request, self.admin_site, version)


class OpenTaskInline(admin.TabularInline):
    model = ProcessTask
    extra = 0
    can_delete = False
    fields = ["label_fi", "team", "department", "created_at", "due_at", "escalated_at", "completed_at", "completed_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(admin.ModelAdmin):
    """Read only: instances move on by their tasks and timers, never by an edit here."""

    list_display = ["request", "process", "version_number", "status", "waiting_for", "next_timer_at", "updated_at"]
    list_filter = ["status", "version__definition"]
    list_select_related = ["request", "version__definition"]
    search_fields = ["request__number"]
    fields = ["request", "version", "status", "steps", "started_at", "updated_at", "completed_at", "next_timer_at",
              "diagram"]
    readonly_fields = fields
    inlines = [OpenTaskInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tasks")

    @admin.display(description=gettext_lazy("process"))
    def process(self, instance: ProcessInstance) -> str:
        return instance.version.definition.name

    @admin.display(description=gettext_lazy("version"))
    def version_number(self, instance: ProcessInstance) -> int:
        return instance.version.number

    @admin.display(description=gettext_lazy("waiting for"))
    def waiting_for(self, instance: ProcessInstance) -> str:
        return ", ".join(task.label for task in instance.tasks.all() if task.completed_at is None) or "–"

    @admin.display(description=gettext_lazy("diagram"))
    def diagram(self, instance: ProcessInstance) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:processes_processinstance_diagram", args=[instance.pk]),
                           _("Where it stands on the diagram"))

    def get_urls(self):
        return [path("<int:pk>/diagram/", self.admin_site.admin_view(self.instance_diagram),
                     name="processes_processinstance_diagram"), *super().get_urls()]

    def instance_diagram(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = get_object_or_404(ProcessInstance.objects.select_related("version__definition", "request"), pk=pk)
        if not self.has_view_permission(request, instance):
            raise PermissionDenied
        return _diagram(request, self.admin_site, instance.version, instance)
