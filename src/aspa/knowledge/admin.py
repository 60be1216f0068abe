"""The administrator's screens: articles (saved through the operation, so history and the index
follow), synonyms, the expert directory."""

from django.contrib import admin

from aspa.knowledge import operations
from aspa.knowledge.models import Article, ArticleVersion, Expert, LearnedTerm, Synonym


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ("version", "title", "changed_by", "changed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "audience", "owner_team", "review_by", "uses", "helpful", "not_helpful",
                    "active")
    list_filter = ("language", "audience", "active", "owner_team")
    search_fields = ("title", "external_id", "keywords")
    filter_horizontal = ("services",)
    raw_id_fields = ("translation_of",)
    readonly_fields = ("version", "views", "uses", "helpful", "not_helpful", "reminded_at")
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in operations.CONTENT_FIELDS if name in form.cleaned_data}
        if change:
            # Give the operation the stored article, so that it keeps the previous text as a version.
            stored = Article.objects.get(pk=obj.pk)
            for name in form.cleaned_data:
                if name not in values and name != "services":
                    setattr(stored, name, form.cleaned_data[name])
            obj = stored
        operations.save_article(None, obj, **values)
        form.instance = obj


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("words", "language")
    list_filter = ("language",)
    search_fields = ("words",)

    def save_model(self, request, obj, form, change):
        operations.save_synonym(obj)

    def delete_model(self, request, obj):
        operations.delete_synonym(obj)

    def delete_queryset(self, request, queryset):
        for synonym in queryset:
            operations.delete_synonym(synonym)


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "team", "languages", "duty_times", "active")
    list_filter = ("kind", "department", "active")
    search_fields = ("name", "topics", "title")


@admin.register(LearnedTerm)
class LearnedTermAdmin(admin.ModelAdmin):
    """What the search learned from use (`learning`): seen here, reset by deleting rows."""

    list_display = ("token", "language", "article", "positives", "updated_at")
    list_filter = ("language",)
    search_fields = ("token", "article__title", "article__external_id")
    readonly_fields = ("article", "token", "language", "positives", "updated_at")
    list_select_related = ("article",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
