"""Contacts in Django's admin, for looking only: contacts are recorded and corrected through
the desk and the API, where they are validated and audited."""

from django.contrib import admin

from aspa.audit.models import AuditAction
from aspa.audit.operations import record as record_audit
from aspa.contacts.models import Contact, ContactRequest


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


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    """For looking only: contact requests are left and closed at the desk, where they are checked and audited."""

    list_display = ("id", "due_at", "status", "party", "contact_name", "assignee", "team", "department",
                    "preferred_channel")
    list_filter = ("status", "preferred_channel", "department", "due_at")
    list_select_related = ("party", "assignee", "team", "department")
    search_fields = ("id", "about", "contact_name", "assignee__username", "service_request__number")
    date_hierarchy = "due_at"
    ordering = ("due_at", "id")
    raw_id_fields = ("party", "contact", "service_request", "assignee", "done_by", "created_by")
    readonly_fields = ("created_at",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        contact_request = self.get_object(request, object_id)
        if contact_request is not None and contact_request.party_id:
            record_audit(request, request.user, AuditAction.READ, "contact_request", contact_request.pk,
                         party_id=contact_request.party_id)
        return super().change_view(request, object_id, form_url, extra_context)
