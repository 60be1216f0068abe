from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The residents' e-service portal: their own errands and details, after strong identification."""

    name = "aspa.portal"
    label = "portal"
    verbose_name = _("Residents' portal")
