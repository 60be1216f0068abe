from django.contrib import admin

from aspa.audit.models import AuditEntry


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
