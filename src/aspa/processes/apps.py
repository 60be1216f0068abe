from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    """Service processes: BPMN definitions with versions, and the running instances of each request's process."""

    name = "aspa.processes"
    label = "processes"
    verbose_name = _("Service processes")
