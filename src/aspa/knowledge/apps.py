from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The knowledge base: articles and model answers, the expert directory, and their search."""

    name = "aspa.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")
