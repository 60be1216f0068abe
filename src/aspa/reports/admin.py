"""Survey answers in the admin: to read, never to edit (they are the residents' own words)."""

from django.contrib import admin

from aspa.reports.models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("request", "department", "answered_at", "language")
    list_filter = ("department", "language")
    list_select_related = ("request", "department")
    date_hierarchy = "answered_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
