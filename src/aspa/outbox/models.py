"""The outbox's tables (docs/outbox.md).

An `OutboxEvent` is written in the same transaction as the change it tells of, so it exists
exactly when the change does. The worker's relay runs the event's steps, each in a transaction
of its own that also writes the step's `OutboxStep` row: a step that committed is never run
again, a step that did not commit left nothing behind. The delivery fields say where the event
stands: pending (due at `next_attempt_at`), done, or failed (given up, waiting for an
administrator). Published events get a `feed_position`, the order integrations read them in."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    # Dotted, reverse-DNS-like names: "aspa.request.filed", "aspa.request.classified".
    type = models.CharField(_("type"), max_length=100)
    aggregate_type = models.CharField(_("aggregate type"), max_length=50)
    aggregate_id = models.CharField(_("aggregate id"), max_length=64)
    # 1, 2, 3 … per aggregate, in the order of its changes: a consumer can tell a missed event.
    sequence = models.PositiveIntegerField(_("sequence"))
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created"))

    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When the relay may take it next: due while pending, a lease while a relay runs it, null
    # once it is done or given up.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    locked_by = models.CharField(_("taken by"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    feed_position = models.PositiveBigIntegerField(_("feed position"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["aggregate_type", "aggregate_id", "sequence"],
                                    name="one_sequence_number_per_aggregate"),
        ]
        indexes = [
            # The relay's poll and the health check's lag read only the pending rows.
            models.Index(fields=["next_attempt_at"], name="outbox_pending",
                         condition=models.Q(next_attempt_at__isnull=False)),
            models.Index(fields=["aggregate_type", "aggregate_id"], name="outbox_by_aggregate"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.aggregate_type}:{self.aggregate_id} #{self.sequence}"

    @property
    def state(self) -> str:
        if self.done_at is not None:
            return "done"
        if self.failed_at is not None:
            return "failed"
        return "pending"


class OutboxStep(models.Model):
    """One step of an event that ran, written in the step's own transaction."""

    event = models.ForeignKey(OutboxEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=50)
    done_at = models.DateTimeField(_("done"))
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("outbox step")
        verbose_name_plural = _("outbox steps")
        ordering = ["event", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "step"], name="each_outbox_step_runs_once")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.step}"


class FeedCounter(models.Model):
    """The last feed position given out. Its row stays locked from the UPDATE until the publishing
    transaction commits, so positions commit in the order they are given: a reader that has seen
    position n never later finds a new event below n."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last)


class WorkerHeartbeat(models.Model):
    """One row per running worker (`host:pid`), written every few seconds by its relay."""

    worker = models.CharField(_("worker"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
