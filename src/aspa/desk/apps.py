from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The staff desk: advisors', experts' and supervisors' queues and request pages."""

    name = "aspa.desk"
    label = "desk"
    verbose_name = _("Staff desk")
