from django.contrib import admin
from django.contrib.admin.utils import unquote

from aspa.audit.models import AuditAction, AuditEntry
from aspa.audit.operations import record


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only for everyone, administrators included."""

    list_display = ["at", "actor_label", "actor_role", "action", "object_type", "object_id", "party_id", "purpose"]
    list_filter = ["action", "object_type", "actor_role"]
    search_fields = ["actor_label", "object_id", "purpose"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedChangePageMixin:
    """Opening an object's page in the admin is a read of its customer's personal data.

    Set `audit_object_type`; override `audited_party_id` where not every object's customer counts."""

    audit_object_type = ""

    def audited_party_id(self, obj) -> int | None:
        return obj.party_id

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        party_id = self.audited_party_id(obj) if obj is not None else None
        if party_id is not None:
            record(request, request.user, AuditAction.READ, self.audit_object_type, obj.pk, party_id=party_id)
        return super().change_view(request, object_id, form_url, extra_context)


class LookOnlyAdmin(AuditedChangePageMixin, admin.ModelAdmin):
    """Records that are written only through the desk, the API or an integration, where they are
    validated: the admin shows them, audited, and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
