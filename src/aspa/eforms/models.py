from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aspa.eforms import schema as form_schema

LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


def _in_language(instance, prefix: str) -> str:
    language = (get_language() or "fi")[:2]
    return getattr(instance, f"{prefix}_{language}", "") or getattr(instance, f"{prefix}_fi")


class FormDefinition(models.Model):
    """An electronic form: what it is called, which service it files under and as which type.
    Its questions live in numbered versions; the newest version is the one residents fill."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    intro_fi = models.TextField(_("introduction in Finnish"), blank=True)
    intro_sv = models.TextField(_("introduction in Swedish"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="forms")
    request_type = models.ForeignKey("catalogue.RequestType", verbose_name=_("request type"),
                                     on_delete=models.PROTECT, related_name="+")
    allow_anonymous = models.BooleanField(_("may be filed without signing in"), default=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("electronic form")
        verbose_name_plural = _("electronic forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def intro(self) -> str:
        return _in_language(self, "intro")

    def titles(self) -> dict[str, str]:
        return {"fi": self.title_fi, "sv": self.title_sv, "en": self.title_en}


class FormVersion(models.Model):
    """One published version of a form's questions. Versions are never edited after they are
    saved: drafts and submissions point at the version they were made on, and a new version
    is a new row."""

    form = models.ForeignKey(FormDefinition, verbose_name=_("form"), on_delete=models.CASCADE,
                             related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    schema = models.JSONField(_("questions (JSON)"))
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="eforms_one_number_per_form")]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"

    @cached_property
    def parsed(self) -> form_schema.FormSchema:
        return form_schema.parse(self.schema)


class Draft(models.Model):
    """Answers being written: saved in the database, so a resident can come back to them
    another day. A signed-in resident's draft is theirs; an anonymous filer's is tied to their
    browser session. Its token is used once: the submission takes it over."""

    token = models.UUIDField(_("token"), unique=True)
    version = models.ForeignKey(FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT,
                                related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="form_drafts")
    # For whom it is filed: the resident or an organisation they act for.
    party = models.ForeignKey("customers.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    answers = models.JSONField(default=dict)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fi")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.token})"


def _draft_file_path(instance: "DraftFile", filename: str) -> str:
    # The stored name never uses the client's file name.
    return f"eforms/drafts/{instance.draft.token}/{instance.token}"


class DraftFile(models.Model):
    """A file given with a draft, kept until the draft is submitted (then it becomes the
    request's attachment) or deleted."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    token = models.UUIDField(unique=True)
    field = models.CharField(max_length=50)
    file = models.FileField(upload_to=_draft_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Submission(models.Model):
    """A filed form: the answers as structured data, on the version they were given on, and
    the service request it became. The token is the draft's: unique, so the same draft can
    never be filed twice, however many times its submit button is pressed."""

    token = models.UUIDField(_("token"), unique=True)
    version = models.ForeignKey(FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT,
                                related_name="submissions")
    request = models.OneToOneField("requests.ServiceRequest", verbose_name=_("service request"), null=True,
                                   on_delete=models.PROTECT, related_name="form_submission")
    answers = models.JSONField(_("answers"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fi")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} → {self.request_id}"


class AnonymousPostCount(models.Model):
    """How many times one client address has posted a form without signing in, per window.
    In the database, so the limit holds across every web worker process and machine."""

    client = models.CharField(max_length=64)  # a keyed hash of the address, not the address
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "window"], name="eforms_one_count_per_window")]
        indexes = [models.Index(fields=["window"])]

    def __str__(self) -> str:
        return f"{self.client[:8]} {self.window}: {self.count}"
