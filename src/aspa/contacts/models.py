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


class ContactRequest(models.Model):
    """A request for someone to contact the customer (yhteydenottopyyntö, soittopyyntö).

    The centre never transfers a call to an expert: it leaves one of these instead, naming
    who should contact the customer (a person, a team or a department), about what and by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class PreferredChannel(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("email")

    party = models.ForeignKey("customers.Party", verbose_name=_("customer"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="contact_requests")
    # An unknown caller leaves a name and a phone number or email address instead.
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact = models.ForeignKey(Contact, verbose_name=_("contact it came from"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="contact_requests")
    service_request = models.ForeignKey("requests.ServiceRequest", verbose_name=_("service request"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="contact_requests")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("to be contacted by"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="contact_requests")
    team = models.ForeignKey("catalogue.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    # Always the owning department (of the person or team when one was named), so that the
    # department's lists find it whoever it went to.
    department = models.ForeignKey("catalogue.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    about = models.TextField(_("about"))
    due_at = models.DateTimeField(_("contact by"))
    preferred_channel = models.CharField(_("preferred channel"), max_length=10, choices=PreferredChannel.choices,
                                         default=PreferredChannel.PHONE)
    language = models.CharField(_("language"), max_length=2, default="fi")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    outcome_note = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("left by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("left"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "assignee", "due_at"]),
            models.Index(fields=["status", "team", "due_at"]),
            models.Index(fields=["status", "department", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="contact_request_has_someone_to_call",
                condition=models.Q(assignee__isnull=False) | models.Q(team__isnull=False)
                | models.Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="contact_request_done_has_time",
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.about[:40]} ({self.due_at:%Y-%m-%d %H:%M})"

    @property
    def customer_label(self) -> str:
        if self.party is not None:
            return self.party.display_name
        return self.contact_name or self.contact_phone or self.contact_email
