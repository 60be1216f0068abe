from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("answered at first contact")
    REQUEST_FILED = "request_filed", _("service request filed")
    FORWARDED = "forwarded", _("forwarded")
    REDIRECTED = "redirected", _("redirected elsewhere")
    NO_ANSWER = "no_answer", _("no answer")


class Contact(models.Model):
    """One interaction with a customer on one channel (palvelutapahtuma)."""

    channel = models.ForeignKey("catalogue.Channel", verbose_name=_("channel"), on_delete=models.PROTECT,
                                related_name="+")
    party = models.ForeignKey("customers.Party", verbose_name=_("customer"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="contacts")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="contacts")
    started_at = models.DateTimeField(_("started"), db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fi")
    topics = models.ManyToManyField("catalogue.Service", verbose_name=_("topics"), blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    requests = models.ManyToManyField("requests.ServiceRequest", verbose_name=_("service requests"), blank=True,
                                      related_name="contacts")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["party", "-started_at"])]
        constraints = [
            models.CheckConstraint(name="contact_ends_after_start",
                                   condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at"))),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.started_at:%Y-%m-%d %H:%M}"
