from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """One uploaded version of the routing rules (palveluohjauksen säännöstö): a DMN file with one
    decision table. Versions are never edited; a change is a new upload, and publishing one makes
    it the only active version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    dmn = models.TextField(_("DMN file"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"))
    is_active = models.BooleanField(_("published"), default=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("routing rule set")
        verbose_name_plural = _("routing rule sets")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_rule_set"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ClassifierModel(models.Model):
    """A trained free-text classifier. Kept in the database so that every web worker loads the same
    one: the published one. A newly trained model is published when its cross-validated figures
    are at least those of the model in use; otherwise it stays a candidate with its figures, which
    an administrator may publish, and any earlier model may be published again (restored)."""

    created_at = models.DateTimeField(_("trained"), db_index=True)
    trained_by = models.CharField(_("trained by"), max_length=150)
    source = models.CharField(_("training data"), max_length=300)
    examples = models.PositiveIntegerField(_("examples"))
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # Cross-validated top-1 and top-3 accuracy on its own training data (empty when not measured).
    figures = models.JSONField(_("cross-validated figures"), default=dict, blank=True)
    is_active = models.BooleanField(_("in use"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.CharField(_("published by"), max_length=150, blank=True)
    # The fitted scikit-learn pipeline, pickled by joblib. Only `aspa routing train` writes it: a
    # pickle runs code when loaded, so this column is as trusted as the database itself.
    model = models.BinaryField(_("model"))

    class Meta:
        verbose_name = _("routing classifier")
        verbose_name_plural = _("routing classifiers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_classifier"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.examples})"
