from django.apps import AppConfig


class SuomifiConfig(AppConfig):
    """Suomi.fi strong identification: its pages, templates and script."""

    name = "aspa.integrations.suomifi"
    label = "suomifi"
    verbose_name = "Suomi.fi identification"
