from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for the customer")
    FORWARDED = "forwarded", _("forwarded")
    REDIRECTED = "redirected", _("redirected elsewhere")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


OPEN_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING, Status.FORWARDED]


class ServiceRequest(models.Model):
    """One errand of a customer (palvelupyyntö), from filing to closing."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    type = models.ForeignKey("catalogue.RequestType", verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalogue.Product", verbose_name=_("product"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("catalogue.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey("catalogue.Channel", verbose_name=_("channel of origin"), on_delete=models.PROTECT,
                                related_name="+")
    party = models.ForeignKey("customers.Party", verbose_name=_("customer"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="service_requests")
    # A request filed by a group (for example a residents' initiative) names the others here.
    co_parties = models.ManyToManyField("customers.Party", verbose_name=_("other filers"), blank=True, related_name="+")
    # Contact details of an anonymous filer who wants an answer.
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    description = models.TextField(_("description"))
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    language = models.CharField(_("language"), max_length=2, default="fi")
    due_date = models.DateField(_("due date"), db_index=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_requests")
    team = models.ForeignKey("catalogue.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    forwarded_to = models.ForeignKey("catalogue.ExternalOrganisation", verbose_name=_("forwarded to organisation"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    redirected_to = models.ForeignKey("catalogue.ExternalOrganisation", verbose_name=_("redirected to"),
                                      null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Forwarding hands the request to an owner elsewhere, but the department that forwarded it
    # keeps following it to closure, so it stays in that department's lists.
    followed_by = models.ForeignKey("catalogue.Department", verbose_name=_("followed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    # Where a request that waits for the customer goes back to when the answer comes.
    status_before_waiting = models.CharField(max_length=12, blank=True)
    guidance = models.TextField(_("guidance given"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at_first_contact = models.BooleanField(_("resolved at first contact"), null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("filed"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Optimistic locking: every change bumps it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "department", "-created_at"]),
            models.Index(fields=["party", "-created_at"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self) -> str:
        return self.number


class RequestCounter(models.Model):
    """The last number given per year; rows are locked while a request is numbered."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RequestEvent(models.Model):
    """One immutable entry of a request's history: who did what, when, through which channel."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(_("by"), max_length=150)
    channel = models.CharField(_("channel"), max_length=30, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # History is written once; a correction is a new event, never an edit of an old one.
        if self.pk is not None:
            raise ValueError("Request events are immutable.")
        super().save(*args, **kwargs)


class Message(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("internal note")
        CUSTOMER = "customer", _("visible to the customer")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    body = models.TextField(_("message"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_label = models.CharField(_("by"), max_length=150)
    from_customer = models.BooleanField(_("from the customer"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.body[:40]}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the file system.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    visible_to_customer = models.BooleanField(_("visible to the customer"), default=True)
    # A decision or other official document: the resident finds these in their document bank.
    is_decision = models.BooleanField(_("decision document"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RequestViewer(models.Model):
    """Who has a request's page open on the desk, refreshed by the page's heartbeat.

    A row older than a couple of minutes means the page was closed; rows are overwritten,
    never accumulated (one per staff member and request)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="viewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("request viewer")
        verbose_name_plural = _("request viewers")
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="one_viewer_row_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.request_id}"


class TeamRotation(models.Model):
    """Where round-robin assignment of a team stands: the member who got the last request."""

    team = models.OneToOneField("catalogue.Team", on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        verbose_name = _("team rotation")
        verbose_name_plural = _("team rotations")

    def __str__(self) -> str:
        return f"{self.team_id}: {self.last_assignee_id}"
