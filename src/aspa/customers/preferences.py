"""How a customer wants to be told about their errands: kept as consents (Consent.purpose).

Without a row the defaults apply: emails on, text messages off. Telling a customer about their
own errand is part of handling it and needs no consent, so email is on until they turn it off;
text messages cost the city and are sent only to those who ask for them."""

from collections.abc import Iterable

from aspa.customers.models import Consent, Party

EMAIL_MESSAGES = "notify-email-messages"  # a message or a question from the centre
EMAIL_STATUS = "notify-email-status"  # forwarded, redirected, resolved
SMS_MESSAGES = "notify-sms-messages"
SMS_STATUS = "notify-sms-status"

DEFAULTS = {EMAIL_MESSAGES: True, EMAIL_STATUS: True, SMS_MESSAGES: False, SMS_STATUS: False}


def notification_preferences(party: Party, consents: Iterable[Consent] | None = None) -> dict[str, bool]:
    """Every notification purpose with its current choice. `consents` may be the prefetched ones."""
    chosen = dict(DEFAULTS)
    rows = consents if consents is not None else Consent.objects.filter(party=party, purpose__in=DEFAULTS)
    for consent in rows:
        if consent.purpose in chosen:
            chosen[consent.purpose] = consent.granted
    return chosen


def wants(party_id: int, purpose: str) -> bool:
    granted = Consent.objects.filter(party_id=party_id, purpose=purpose).values_list("granted", flat=True).first()
    return DEFAULTS[purpose] if granted is None else granted
