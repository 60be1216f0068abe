"""The administrator's screens: the phone queues and their opening hours are edited here; the
calls are read-only (the contact-centre system's events write them) and each opened call is audited."""

from django.contrib import admin

from aspa.audit.admin import LookOnlyAdmin
from aspa.telephony.models import Call, CallEvent, PhoneQueue


@admin.register(PhoneQueue)
class PhoneQueueAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "language", "open_weekdays", "opens_at", "closes_at")
    search_fields = ("code", "name")


class CallEventInline(admin.TabularInline):
    model = CallEvent
    extra = 0
    can_delete = False
    fields = ("occurred_at", "kind", "event_id", "received_at", "payload")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(LookOnlyAdmin):
    audit_object_type = "call"
    list_display = ("offered_at", "queue", "caller", "outcome", "answered_at", "ended_at", "advisor", "transfers")
    list_filter = ("outcome", "queue")
    search_fields = ("=caller", "=external_id")
    date_hierarchy = "offered_at"
    inlines = [CallEventInline]
    readonly_fields = ("system", "external_id", "queue", "caller", "party", "offered_at", "answered_at", "ended_at",
                       "advisor", "outcome", "transfers", "recording_reference", "recording_retained_until",
                       "recording_purged_at")
