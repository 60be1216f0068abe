from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The pages' frame: base layout, staff sign-in and sign-out, language switch, error pages."""

    name = "aspa.web"
    label = "web"
    verbose_name = _("Web pages")
