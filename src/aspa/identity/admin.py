from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from aspa.identity.models import ApiToken, User


@admin.register(User)
class AspaUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "department", "team", "is_active"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = [
        *(UserAdmin.fieldsets or ()),
        (_("Role in Aspa"), {"fields": ["role", "department", "team", "language"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Role in Aspa"), {"fields": ["role", "department", "team", "language"]}),
    ]
    raw_id_fields = ["party"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `aspa token create` (the key is shown once); here they are listed and revoked."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["name", "prefix", "user", "created_at", "last_used_at"]
    exclude = ["key_hash"]
    search_fields = ["name", "prefix"]

    def has_add_permission(self, request):
        return False
