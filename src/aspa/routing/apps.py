from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    """Routing: DMN decision tables that decide where a request goes, and the free-text classifier that suggests a service."""

    name = "aspa.routing"
    label = "routing"
    verbose_name = _("Routing")
