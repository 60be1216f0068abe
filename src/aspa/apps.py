from django.apps import AppConfig


class AspaConfig(AppConfig):
    """The project package itself: management commands and translations."""

    name = "aspa"
    verbose_name = "Aspa"
