"""Contacts in Django's admin, for looking only: contacts are recorded and corrected through
the desk and the API, where they are validated and audited."""

from django.contrib import admin

from aspa.audit.admin import LookOnlyAdmin
from aspa.contacts.models import Contact, ContactRequest


@admin.register(Contact)
class ContactAdmin(LookOnlyAdmin):
    audit_object_type = "contact"
    list_display = ("id", "started_at", "channel", "party", "staff", "outcome", "language")
    list_filter = ("channel", "outcome", "language", "started_at")
    list_select_related = ("channel", "party", "staff")
    search_fields = ("id", "notes", "staff__username", "requests__number")
    date_hierarchy = "started_at"
    ordering = ("-started_at", "-id")
    raw_id_fields = ("party", "staff", "requests")
    readonly_fields = ("created_at",)
    show_full_result_count = False


@admin.register(ContactRequest)
class ContactRequestAdmin(LookOnlyAdmin):
    """For looking only: contact requests are left and closed at the desk, where they are checked and audited."""

    audit_object_type = "contact_request"
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

