"""Service requests in the admin: for looking things up. Changes go through the API and the
desk, which keep the history, the version lock and the customer notifications."""

from django.contrib import admin

from aspa.audit.admin import AuditedChangePageMixin
from aspa.customers.models import Party
from aspa.requests.models import Attachment, Message, RequestEvent, ServiceRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ["at", "kind", "actor_label", "channel", "from_status", "to_status", "data"]
    readonly_fields = fields


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "visibility", "author_label", "from_customer", "body"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["created_at", "original_name", "content_type", "size", "sha256", "visible_to_customer"]
    readonly_fields = fields


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AuditedChangePageMixin, admin.ModelAdmin):
    audit_object_type = "service_request"
    list_display = ["number", "status", "type", "service", "department", "channel", "due_date", "created_at"]
    list_filter = ["status", "department", "channel", "type"]
    search_fields = ["number"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    list_select_related = ["type", "service", "department", "channel"]
    inlines = [EventInline, MessageInline, AttachmentInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ServiceRequest._meta.get_fields()
                if field.concrete and not field.many_to_many and not field.auto_created] + ["co_parties"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def audited_party_id(self, service_request: ServiceRequest) -> int | None:
        # A person's request is personal data, audited like the API's; an organisation's is not.
        if service_request.party is not None and service_request.party.kind == Party.Kind.PERSON:
            return service_request.party_id
        return None
