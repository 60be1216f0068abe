from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports and surveys: the satisfaction answers residents give after an errand closes."""

    name = "aspa.reports"
    label = "reports"
    verbose_name = _("Reports")
