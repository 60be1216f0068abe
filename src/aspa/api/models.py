from django.db import models


class IdempotentResponse(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed to every retry."""

    scope = models.CharField(max_length=64, help_text="Hash of the caller's credentials.")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_response_per_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.status_code}"
