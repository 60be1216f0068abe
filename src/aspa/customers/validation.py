"""Normalising and checking the identifiers and contact details of a customer.

Every function returns the one stored form of a value (so that lookups compare like with
like) or raises InvalidInput naming the field. The checks themselves are python-stdnum's
and phonenumbers'; nothing here re-implements a check digit."""

import datetime

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu, ytunnus

from aspa.errors import InvalidInput

DEFAULT_PHONE_REGION = "FI"
# The population register hands out individual numbers 900–999 for testing only.
TEST_INDIVIDUAL_NUMBERS = range(900, 1000)
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def is_test_national_id(code: str) -> bool:
    """True for a code in the test range (individual number 900–999). Expects a compact code."""
    return len(code) == 11 and code[7:10].isdigit() and int(code[7:10]) in TEST_INDIVIDUAL_NUMBERS


def normalise_national_id(value: str, field: str = "national_id") -> str:
    """A henkilötunnus in its stored form (upper case, no spaces), or InvalidInput."""
    code = hetu.compact(value or "")
    if not code:
        raise InvalidInput({field: [_("This field is required.")]})
    allow_test_codes = bool(getattr(settings, "ALLOW_TEST_IDENTITY_CODES", False))
    try:
        hetu.validate(code, allow_temporary=True)
    except StdnumError:
        raise InvalidInput({field: [_("This is not a valid personal identity code.")]}) from None
    if is_test_national_id(code) and not allow_test_codes:
        raise InvalidInput({field: [_("Test personal identity codes (individual number 900–999) "
                                      "are not accepted in this installation.")]})
    return code


def birth_date_from_national_id(code: str) -> datetime.date:
    """The date of birth a valid henkilötunnus carries: ddmmyy and the century sign."""
    code = hetu.compact(code)
    century = _CENTURIES[code[6]]
    return datetime.date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))


def normalise_business_id(value: str, field: str = "business_id") -> str:
    """A Y-tunnus in its stored form 1234567-8, or InvalidInput."""
    if not (value or "").strip():
        raise InvalidInput({field: [_("This field is required.")]})
    try:
        return ytunnus.format(ytunnus.validate(value))
    except StdnumError:
        raise InvalidInput({field: [_("This is not a valid business ID (Y-tunnus).")]}) from None


def normalise_phone(value: str, field: str = "phone", region: str = DEFAULT_PHONE_REGION) -> str:
    """A phone number in E.164 form (+358401234567); national numbers are read as Finnish."""
    try:
        number = phonenumbers.parse(value or "", region)
    except phonenumbers.NumberParseException:
        raise InvalidInput({field: [_("This is not a valid phone number.")]}) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput({field: [_("This is not a valid phone number.")]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str, field: str = "email") -> str:
    """An email address, trimmed and lower-cased, or InvalidInput."""
    address = (value or "").strip().lower()
    try:
        EmailValidator()(address)
    except ValidationError:
        raise InvalidInput({field: [_("This is not a valid email address.")]}) from None
    return address


def looks_like_national_id(value: str) -> bool:
    return hetu.is_valid(value, allow_temporary=True)


def looks_like_business_id(value: str) -> bool:
    return ytunnus.is_valid(value)


def looks_like_phone(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, DEFAULT_PHONE_REGION))
    except phonenumbers.NumberParseException:
        return False
