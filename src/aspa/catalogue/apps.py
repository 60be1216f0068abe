from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "aspa.catalogue"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from aspa.catalogue import cache

        cache.connect()
