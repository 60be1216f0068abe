from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EformsConfig(AppConfig):
    """Electronic forms: versioned form definitions as data, drafts, submissions that become service requests."""

    name = "aspa.eforms"
    label = "eforms"
    verbose_name = _("Electronic forms")
