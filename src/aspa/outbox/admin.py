"""The administrator's view of the outbox: what is waiting, what was given up and why, and a
retry for the given-up ones."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aspa.outbox import operations
from aspa.outbox.models import OutboxEvent, OutboxStep, WorkerHeartbeat


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("pending")), ("failed", _("given up")), ("done", _("done"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(next_attempt_at__isnull=False)
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class StepInline(admin.TabularInline):
    model = OutboxStep
    extra = 0
    can_delete = False
    fields = ("step", "done_at", "worker", "result")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "type", "aggregate", "state_label", "attempts", "next_attempt_at", "reason")
    list_filter = (StateFilter, "type")
    search_fields = ("aggregate_id", "=event_id")
    actions = ["retry_events"]
    inlines = [StepInline]
    readonly_fields = ("event_id", "type", "aggregate_type", "aggregate_id", "sequence", "payload", "created_at",
                       "attempts", "next_attempt_at", "locked_by", "last_error", "done_at", "failed_at",
                       "published_at", "feed_position")

    @admin.display(description=_("aggregate"))
    def aggregate(self, event: OutboxEvent) -> str:
        return f"{event.aggregate_type} {event.aggregate_id} #{event.sequence}"

    @admin.display(description=_("state"))
    def state_label(self, event: OutboxEvent) -> str:
        return {"done": _("done"), "failed": _("given up"), "pending": _("pending")}[event.state]  # type: ignore[return-value]

    @admin.display(description=_("reason"))
    def reason(self, event: OutboxEvent) -> str:
        return event.last_error.split("\n", 1)[0][:200]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("outbox.change_outboxevent")

    @admin.action(description=_("Retry the selected events"), permissions=["retry"])
    def retry_events(self, request, queryset):
        count = operations.retry(queryset)
        self.message_user(request, ngettext("%(count)d event will be run again.",
                                            "%(count)d events will be run again.", count) % {"count": count},
                          messages.SUCCESS)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker", "started_at", "beat_at")
    readonly_fields = ("worker", "started_at", "beat_at")

    def has_add_permission(self, request):
        return False
