import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from aspa.customers.models import LANGUAGES


class SmsMessage(models.Model):
    """One text message to one number, from queuing to the gateway's last delivery report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        REFUSED = "refused", _("not sent: the customer has not asked for text messages")

    # Carried in the gateway's callback address, so a delivery report names its message even
    # when it arrives before the worker has stored the gateway's own id.
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    to = models.CharField(_("phone number"), max_length=16)  # E.164
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    party = models.ForeignKey("customers.Party", verbose_name=_("customer"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField(_("gateway"), max_length=30, blank=True)
    provider_id = models.CharField(_("gateway's id"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="sms_status_created")]

    def __str__(self) -> str:
        return f"{self.to} ({self.get_status_display()})"


class DeliveryReport(models.Model):
    """A gateway's report on a message, as received; the same report twice is stored once."""

    message = models.ForeignKey(SmsMessage, verbose_name=_("text message"), on_delete=models.CASCADE,
                                related_name="reports")
    reported_status = models.CharField(_("reported status"), max_length=30)
    error_code = models.CharField(_("error code"), max_length=30, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    payload = models.JSONField(_("report"), default=dict)

    class Meta:
        verbose_name = _("delivery report")
        verbose_name_plural = _("delivery reports")
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["message", "reported_status"], name="one_report_per_status")]

    def __str__(self) -> str:
        return self.reported_status
