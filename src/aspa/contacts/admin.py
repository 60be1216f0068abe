"""Contacts in Django's admin, for looking only: contacts are recorded and corrected through
the desk and the API, where they are validated and audited."""

from django.contrib import admin

from aspa.audit.models import AuditAction
from aspa.audit.operations import record as record_audit
from aspa.contacts.models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("id", "started_at", "channel", "party", "staff", "outcome", "language")
    list_filter = ("channel", "outcome", "language", "started_at")
    list_select_related = ("channel", "party", "staff")
    search_fields = ("id", "notes", "staff__username", "requests__number")
    date_hierarchy = "started_at"
    ordering = ("-started_at", "-id")
    raw_id_fields = ("party", "staff", "requests")
    readonly_fields = ("created_at",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening one contact in the admin is a read of personal data like any other.
        contact = self.get_object(request, object_id)
        if contact is not None and contact.party_id:
            record_audit(request, request.user, AuditAction.READ, "contact", contact.pk, party_id=contact.party_id)
        return super().change_view(request, object_id, form_url, extra_context)
