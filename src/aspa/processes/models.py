from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("fi", "sv", "en")


class ProcessDefinition(models.Model):
    """A service's process (palveluprosessi): a BPMN file in numbered versions.

    New requests of the service start on the latest version; a running instance keeps the version
    it started with, so publishing a new version never changes a process half way."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    service = models.OneToOneField("catalogue.Service", verbose_name=_("service"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="process")
    active = models.BooleanField(_("in use"), default=True,
                                 help_text=_("Only an active process starts for new requests."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> "ProcessVersion | None":
        return self.versions.order_by("-number").first()


class ProcessVersion(models.Model):
    """One uploaded BPMN file of a process. Never edited: a change is a new version."""

    definition = models.ForeignKey(ProcessDefinition, verbose_name=_("process"), on_delete=models.CASCADE,
                                   related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    bpmn_xml = models.TextField(_("BPMN file"))
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    # The executable BPMN process in the file, and what each lane of it means here:
    # {"lane name": {"team": "code"} or {"department": "code"}}.
    process_id = models.CharField(_("BPMN process id"), max_length=200)
    lanes = models.JSONField(_("lanes"), default=dict)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        ordering = ["definition", "-number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="one_number_per_process_version")]

    def __str__(self) -> str:
        return f"{self.definition.code} v{self.number}"


class ProcessInstance(models.Model):
    """The running process of one service request, with SpiffWorkflow's serialized state.

    The state is written after every step (in the same transaction as the step's effects), so a
    restart or a deploy continues from the last completed step."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")

    request = models.OneToOneField("requests.ServiceRequest", verbose_name=_("service request"),
                                   on_delete=models.CASCADE, related_name="process")
    version = models.ForeignKey(ProcessVersion, verbose_name=_("process version"), on_delete=models.PROTECT,
                                related_name="instances")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    state = models.TextField(_("engine state"))
    # The earliest timer of the process; the timer check loads only instances whose time has come.
    next_timer_at = models.DateTimeField(_("next timer"), null=True, blank=True, db_index=True)
    steps = models.PositiveIntegerField(_("steps saved"), default=0)
    started_at = models.DateTimeField(_("started"))
    updated_at = models.DateTimeField(_("updated"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("process instance")
        verbose_name_plural = _("process instances")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} / {self.request_id}"


class ProcessTask(models.Model):
    """A user task of a running process: a work item in a team's or a department's queue."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="tasks")
    request = models.ForeignKey("requests.ServiceRequest", verbose_name=_("service request"),
                                on_delete=models.CASCADE, related_name="process_tasks")
    task_id = models.UUIDField(_("engine task id"))
    bpmn_id = models.CharField(_("BPMN element"), max_length=200)
    label_fi = models.CharField(_("task in Finnish"), max_length=300)
    label_sv = models.CharField(_("task in Swedish"), max_length=300, blank=True)
    label_en = models.CharField(_("task in English"), max_length=300, blank=True)
    lane = models.CharField(_("lane"), max_length=200, blank=True)
    team = models.ForeignKey("catalogue.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("catalogue.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="+")
    # What the completion form asks: {"field": ..., "choices": [{"key", "fi", "sv", "en"}, ...],
    # "note": "required" | "optional" | "", "note_label": {"fi", "sv", "en"}}. A list keeps the
    # file's order, which PostgreSQL's jsonb would not keep for the keys of an object.
    form = models.JSONField(_("form"), default=dict)
    created_at = models.DateTimeField(_("created"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the supervisor"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("process task")
        verbose_name_plural = _("process tasks")
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["instance", "task_id"], name="one_row_per_engine_task")]
        indexes = [models.Index(fields=["team", "completed_at"]), models.Index(fields=["department", "completed_at"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"label_{language}", "") or self.label_fi

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    def choices(self) -> list[tuple[str, str]]:
        """(key, label in the reader's language) of the task's choices, in the file's order."""
        language = (get_language() or "fi")[:2]
        return [(choice["key"], choice.get(language) or choice.get("fi") or choice["key"])
                for choice in self.form.get("choices", [])]

    def note_label(self) -> str:
        labels = self.form.get("note_label") or {}
        language = (get_language() or "fi")[:2]
        return labels.get(language) or labels.get("fi") or ""
