from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The transactional outbox: domain events written in the transaction of the change, run
    step by step by the worker's relay and read by integrations (docs/outbox.md)."""

    name = "aspa.outbox"
    label = "outbox"
    verbose_name = _("Outbox")
