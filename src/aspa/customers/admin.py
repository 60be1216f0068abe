"""The customer register in the Django admin, for administrators.

Opening a customer here is a read of personal data like any other, so it is audited; saves
go through operations so that the version, duplicate check and audit row are the same as
through the API."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aspa.audit.admin import AuditedChangePageMixin
from aspa.audit.operations import record_party_reads
from aspa.customers import operations
from aspa.customers.models import (
    Consent,
    ContactPoint,
    Customership,
    Mandate,
    OrganisationContact,
    Party,
    fold_for_search,
)
from aspa.customers.validation import (
    normalise_business_id,
    normalise_email,
    normalise_national_id,
    normalise_phone,
)
from aspa.errors import InvalidInput
from aspa.identity.access import mask_national_id


def _as_form_error(normalise, value):
    """Run a validation.py normaliser and turn its InvalidInput into a form error."""
    try:
        return normalise(value)
    except InvalidInput as error:
        raise ValidationError([str(message) for messages in error.fields.values() for message in messages]) from None


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ("kind", "first_name", "last_name", "name", "national_id", "business_id", "birth_date",
                  "language", "contact_preference", "non_disclosure", "segments")

    def clean_national_id(self):
        value = self.cleaned_data.get("national_id")
        return _as_form_error(normalise_national_id, value) if value else None

    def clean_business_id(self):
        value = self.cleaned_data.get("business_id")
        return _as_form_error(normalise_business_id, value) if value else None

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        kind = cleaned.get("kind")
        if kind == Party.Kind.PERSON and not cleaned.get("last_name"):
            self.add_error("last_name", _("This field is required."))
        if kind == Party.Kind.ORGANISATION and not cleaned.get("name"):
            self.add_error("name", _("This field is required."))
        return cleaned


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ("kind", "value", "street", "postal_code", "city", "country", "label", "is_primary")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind == ContactPoint.Kind.PHONE:
            cleaned["value"] = _as_form_error(normalise_phone, value or "")
        elif kind == ContactPoint.Kind.EMAIL:
            cleaned["value"] = _as_form_error(normalise_email, value or "")
        return cleaned


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    form = ContactPointForm
    extra = 0
    fields = ContactPointForm.Meta.fields


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ("recorded_at",)


class CustomershipInline(admin.TabularInline):
    model = Customership
    extra = 0
    fields = ("service", "status", "started_on", "ended_on", "note")


class ContactPersonInline(admin.TabularInline):
    model = OrganisationContact
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ("person",)
    verbose_name = _("contact person")
    verbose_name_plural = _("contact persons")


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    form = PartyForm
    list_display = ("display_name", "kind", "masked_national_id", "business_id", "updated_at")
    list_filter = ("kind", "non_disclosure", "language", "segments")
    # The name is searched through search_name below, with accents folded.
    search_fields = ("=national_id", "=business_id")
    readonly_fields = ("version", "created_at", "updated_at")
    filter_horizontal = ("segments",)
    inlines = [ContactPointInline, ConsentInline, CustomershipInline, ContactPersonInline]
    fields = (*PartyForm.Meta.fields, "version", "created_at", "updated_at")

    @admin.display(description=_("personal identity code"), ordering="national_id")
    def masked_national_id(self, party: Party) -> str:
        return mask_national_id(party.national_id) or ""

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold_for_search(search_term)
        if folded:
            found |= queryset.filter(search_name__startswith=folded)
        return found, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            party = self.get_object(request, unquote(object_id))
            if party is not None:
                record_party_reads(request, request.user, [party.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            record_party_reads(request, request.user, [party.pk for party in changelist.result_list])
        return response

    def save_model(self, request, obj, form, change):
        operations.save_party_from_admin(request.user, obj, created=not change, request=request)


class CustomershipForm(forms.ModelForm):
    class Meta:
        model = Customership
        fields = ("party", "service", "status", "started_on", "ended_on", "note")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        return cleaned


@admin.register(Customership)
class CustomershipAdmin(admin.ModelAdmin):
    form = CustomershipForm
    list_display = ("party", "service", "status", "started_on", "ended_on")
    list_filter = ("status", "service")
    list_select_related = ("party", "service")
    search_fields = ("party__search_name", "=party__business_id")
    raw_id_fields = ("party",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            customership = self.get_object(request, unquote(object_id))
            if customership is not None:
                record_party_reads(request, request.user, [customership.party_id])
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        operations.save_customership_from_admin(request.user, obj, created=not change, request=request)


class MandateForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = ("person", "organisation", "scope", "valid_from", "valid_until", "note")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        person, organisation = cleaned.get("person"), cleaned.get("organisation")
        if person is not None and person.kind != Party.Kind.PERSON:
            self.add_error("person", _("A mandate is held by a person."))
        if organisation is not None and organisation.kind != Party.Kind.ORGANISATION:
            self.add_error("organisation", _("A mandate is given by an organisation."))
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The end date cannot be before the start date."))
        return cleaned


@admin.register(Mandate)
class MandateAdmin(AuditedChangePageMixin, admin.ModelAdmin):
    """The city's list of who may act for which organisation in the e-service.

    A mandate is revoked, not deleted: the row keeps telling who could act for whom and when."""

    form = MandateForm
    audit_object_type = "mandate"
    list_display = ("person", "organisation", "scope", "valid_from", "valid_until", "revoked_at", "granted_by")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("person", "organisation", "granted_by")
    search_fields = ("person__search_name", "organisation__search_name", "=organisation__business_id")
    raw_id_fields = ("person", "organisation")
    readonly_fields = ("granted_by", "created_at", "revoked_at", "revoked_by")
    actions = ["revoke"]

    def audited_party_id(self, obj) -> int | None:
        return obj.person_id

    def changelist_view(self, request, extra_context=None):
        # The list names people and whom they act for: a read of each person listed.
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            record_party_reads(request, request.user, {mandate.person_id for mandate in changelist.result_list})
        return response

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        operations.save_mandate_from_admin(request.user, obj, created=not change, request=request)

    @admin.action(description=_("Revoke the selected mandates now"))
    def revoke(self, request, queryset):
        revoked = 0
        for mandate in queryset.filter(revoked_at__isnull=True).select_related("person"):
            operations.revoke_mandate(request.user, mandate, request=request)
            revoked += 1
        self.message_user(request, _("Mandates revoked: %(count)s.") % {"count": revoked}, messages.SUCCESS)
