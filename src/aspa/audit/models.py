from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("read")
    REVEAL = "reveal", _("revealed identity code")
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")


class AuditEntry(models.Model):
    """Who read or changed which personal data, when and why. Rows are never updated."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("actor name"), max_length=150)
    actor_role = models.CharField(_("role"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object"), max_length=40)
    # The person or organisation whose data it was; an id, not a key, so rows outlive erasure.
    party_id = models.BigIntegerField(_("customer"), null=True, db_index=True)
    purpose = models.CharField(_("purpose or endpoint"), max_length=200)
    ip_address = models.GenericIPAddressField(_("address"), null=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"
