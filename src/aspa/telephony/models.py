import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from aspa.customers.models import LANGUAGES


class PhoneQueue(models.Model):
    """A line of the contact centre (the pilot's Finnish and Swedish lines) with its opening hours.
    A call offered outside them is counted apart in the figures."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    # ISO weekdays the line is open, 1 = Monday: "12345" is Monday to Friday.
    open_weekdays = models.CharField(_("open on weekdays"), max_length=7, default="12345",
                                     help_text=_("ISO weekday numbers, 1 = Monday: 12345 is Monday to Friday."))
    opens_at = models.TimeField(_("opens at"), default=datetime.time(9))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(16))

    class Meta:
        verbose_name = _("phone queue")
        verbose_name_plural = _("phone queues")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code

    def is_open_at(self, local: datetime.datetime) -> bool:
        """Whether a moment in the city's time falls in the opening hours (closing time excluded)."""
        return str(local.isoweekday()) in self.open_weekdays and self.opens_at <= local.time() < self.closes_at


class Call(models.Model):
    """One call as the contact-centre system's events describe it; rebuilt from all of its events
    each time one arrives, so their order and repetition do not matter."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("waiting")
        ANSWERED = "answered", _("answered")
        ABANDONED = "abandoned", _("abandoned")

    system = models.CharField(_("system"), max_length=40)
    external_id = models.CharField(_("call id"), max_length=100)
    queue = models.ForeignKey(PhoneQueue, verbose_name=_("phone queue"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="calls")
    caller = models.CharField(_("caller's number"), max_length=16, blank=True)  # E.164, empty when withheld
    party = models.ForeignKey("customers.Party", verbose_name=_("customer"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    advisor = models.CharField(_("advisor"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.WAITING)
    transfers = models.PositiveIntegerField(_("transfers"), default=0)
    recording_reference = models.CharField(_("recording reference"), max_length=300, blank=True)
    recording_retained_until = models.DateField(_("recording kept until"), null=True, blank=True)
    recording_purged_at = models.DateTimeField(_("recording reference purged"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-offered_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["system", "external_id"], name="one_call_per_system_id")]
        indexes = [models.Index(fields=["offered_at"], name="telephony_call_offered"),
                   models.Index(fields=["recording_retained_until"], name="telephony_call_retention")]

    def __str__(self) -> str:
        return f"{self.system}:{self.external_id}"

    @property
    def wait(self) -> datetime.timedelta | None:
        """From offered to answered, or to abandoned for a call nobody answered."""
        until = self.answered_at or (self.ended_at if self.outcome == self.Outcome.ABANDONED else None)
        return until - self.offered_at if until and self.offered_at else None

    @property
    def talk(self) -> datetime.timedelta | None:
        return self.ended_at - self.answered_at if self.answered_at and self.ended_at else None


class CallEvent(models.Model):
    """An event as the contact-centre system sent it; the same (system, event id) is stored once."""

    class Kind(models.TextChoices):
        OFFERED = "offered", _("offered")
        QUEUED = "queued", _("queued")
        ANSWERED = "answered", _("answered")
        TRANSFERRED = "transferred", _("transferred")
        ENDED = "ended", _("ended")
        ABANDONED = "abandoned", _("abandoned")

    system = models.CharField(_("system"), max_length=40)
    event_id = models.CharField(_("event id"), max_length=100)
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    payload = models.JSONField(_("event"), default=dict)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["occurred_at", "id"]
        constraints = [models.UniqueConstraint(fields=["system", "event_id"], name="one_call_event_per_system_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M:%S}"
