"""What the desk tells the advisor about an external organisation a customer is redirected to."""

from django.utils.translation import get_language

from aspa.catalogue.models import ExternalOrganisation


def guidance_text(organisation: ExternalOrganisation | None) -> str:
    """The organisation's guidance in the reader's language, falling back to Finnish."""
    if organisation is None:
        return ""
    language = (get_language() or "fi")[:2]
    return getattr(organisation, f"guidance_{language}", "") or organisation.guidance_fi
