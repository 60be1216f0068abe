"""The administrator's list of text messages: what was sent, delivered, failed or refused, and
each message's delivery reports. Read-only: messages are written by send_sms and the worker."""

from django.contrib import admin

from aspa.audit.admin import LookOnlyAdmin
from aspa.sms.models import DeliveryReport, SmsMessage


class DeliveryReportInline(admin.TabularInline):
    model = DeliveryReport
    extra = 0
    can_delete = False
    fields = ("received_at", "reported_status", "error_code", "payload")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(LookOnlyAdmin):
    audit_object_type = "sms"
    list_display = ("created_at", "to", "status", "language", "purpose", "attempts", "backend", "delivered_at")
    list_filter = ("status", "backend", "language")
    search_fields = ("=to", "=provider_id", "=reference")
    date_hierarchy = "created_at"
    inlines = [DeliveryReportInline]
    readonly_fields = ("reference", "to", "text", "language", "party", "purpose", "status", "backend", "provider_id",
                       "attempts", "error", "created_at", "sent_at", "delivered_at")
