"""The service catalogue in Django's admin: the administrator (pääkäyttäjä) keeps it here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aspa.catalogue.models import (
    Channel,
    Department,
    ExternalOrganisation,
    LifeSituation,
    Product,
    RequestType,
    Segment,
    Service,
    ServiceCategory,
    Team,
)

NAMES = ("code", "name_fi", "name_sv", "name_en", "active")
NAME_SEARCH = ("code", "name_fi", "name_sv", "name_en")


class NamedAdmin(admin.ModelAdmin):
    list_display = NAMES
    list_display_links = ("code", "name_fi")
    list_filter = ("active",)
    search_fields = NAME_SEARCH
    ordering = ("code",)


class TeamInline(admin.TabularInline):
    model = Team
    fields = ("code", "name_fi", "name_sv", "name_en", "assignment", "active")
    extra = 0


@admin.register(Department)
class DepartmentAdmin(NamedAdmin):
    list_display = (*NAMES, "is_service_centre")
    list_filter = ("active", "is_service_centre")
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(NamedAdmin):
    list_display = (*NAMES, "department", "assignment")
    list_filter = ("active", "department", "assignment")
    list_select_related = ("department",)


class ProductInline(admin.TabularInline):
    model = Product
    fields = ("code", "name_fi", "name_sv", "name_en", "price", "active")
    extra = 0


@admin.register(Service)
class ServiceAdmin(NamedAdmin):
    list_display = (*NAMES, "department", "target_days")
    list_filter = ("active", "department", "categories", "life_situations", "channels", "request_types")
    list_select_related = ("department",)
    search_fields = (*NAME_SEARCH, "keywords")
    filter_horizontal = ("channels", "request_types", "categories", "life_situations")
    inlines = [ProductInline]
    fieldsets = (
        (None, {"fields": ("code", "department", "active", "target_days")}),
        ("fi / sv / en", {"fields": ("name_fi", "name_sv", "name_en",
                                     "description_fi", "description_sv", "description_en", "keywords")}),
        (None, {"fields": ("channels", "request_types")}),
        (_("Service finder"), {"fields": ("categories", "life_situations")}),
    )


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(NamedAdmin):
    list_display = (*NAMES, "position")
    ordering = ("position", "code")


@admin.register(LifeSituation)
class LifeSituationAdmin(NamedAdmin):
    list_display = (*NAMES, "position")
    ordering = ("position", "code")
    fields = ("code", "position", "active", "name_fi", "name_sv", "name_en",
              "introduction_fi", "introduction_sv", "introduction_en")


@admin.register(Product)
class ProductAdmin(NamedAdmin):
    list_display = (*NAMES, "service", "price")
    list_filter = ("active", "service__department")
    list_select_related = ("service",)
    autocomplete_fields = ("service",)


@admin.register(Channel)
class ChannelAdmin(NamedAdmin):
    pass


@admin.register(RequestType)
class RequestTypeAdmin(NamedAdmin):
    pass


@admin.register(Segment)
class SegmentAdmin(NamedAdmin):
    pass


@admin.register(ExternalOrganisation)
class ExternalOrganisationAdmin(NamedAdmin):
    list_display = (*NAMES, "website", "phone")
