"""How the desk shows phone numbers: Finnish numbers in the national format staff read aloud
("040 1234567"), foreign ones in the international format, and tel: links in E.164 so that a
softphone dials them whatever the display."""

import phonenumbers
from django import template

from aspa.customers.validation import DEFAULT_PHONE_REGION

register = template.Library()


def _parsed(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(value or "", DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@register.filter
def phone_display(value: str) -> str:
    number = _parsed(value)
    if number is None:
        return value  # an old or odd value is shown as it was stored rather than hidden
    if phonenumbers.region_code_for_number(number) == DEFAULT_PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@register.filter
def phone_tel(value: str) -> str:
    number = _parsed(value)
    if number is None:
        return "".join(character for character in value or "" if character.isdigit() or character == "+")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
