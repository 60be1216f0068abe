"""Identity codes, phone numbers and email addresses are checked and stored in one form."""

import datetime

import pytest

from aspa.customers.validation import (
    birth_date_from_national_id,
    normalise_business_id,
    normalise_email,
    normalise_national_id,
    normalise_phone,
)
from aspa.errors import InvalidInput
from tests.factories.customers import make_national_id

REAL_CODE = "131052-308T"  # the example of python-stdnum's documentation


def fields_of(error_info) -> dict:
    return error_info.value.fields


def test_valid_national_id_is_stored_upper_case_without_spaces():
    assert normalise_national_id(" 131052-308t ") == REAL_CODE


@pytest.mark.parametrize("code", ["131052-308U", "310252-308Y", "131052308T", "abc", "131052-001H"])
def test_invalid_national_id_is_refused_naming_the_field(code):
    with pytest.raises(InvalidInput) as error:
        normalise_national_id(code)
    assert list(fields_of(error)) == ["national_id"]


def test_test_codes_are_accepted_when_the_installation_allows_them(settings):
    settings.ALLOW_TEST_IDENTITY_CODES = True
    code = make_national_id(datetime.date(1985, 3, 4), individual=912)
    assert normalise_national_id(code) == code


def test_test_codes_are_refused_with_a_clear_message_when_not_allowed(settings):
    settings.ALLOW_TEST_IDENTITY_CODES = False
    code = make_national_id(datetime.date(1985, 3, 4), individual=912)
    with pytest.raises(InvalidInput) as error:
        normalise_national_id(code)
    [message] = fields_of(error)["national_id"]
    assert "900" in str(message)
    # A real code is still fine.
    assert normalise_national_id(REAL_CODE) == REAL_CODE


@pytest.mark.parametrize("code,born", [
    ("131052-308T", datetime.date(1952, 10, 13)),
    (make_national_id(datetime.date(2005, 12, 31), individual=931), datetime.date(2005, 12, 31)),
    (make_national_id(datetime.date(1899, 6, 1), individual=942), datetime.date(1899, 6, 1)),
])
def test_birth_date_is_read_from_the_identity_code(code, born):
    assert birth_date_from_national_id(code) == born


@pytest.mark.parametrize("value", ["2077474-0", "20774740", " 2077474-0 "])
def test_business_id_is_stored_as_seven_digits_dash_check(value):
    assert normalise_business_id(value) == "2077474-0"


@pytest.mark.parametrize("value", ["2077474-1", "123", "abcdefg-h"])
def test_invalid_business_id_is_refused(value):
    with pytest.raises(InvalidInput) as error:
        normalise_business_id(value)
    assert list(fields_of(error)) == ["business_id"]


@pytest.mark.parametrize("value", ["040 123 4567", "+358 40 1234567", "0401234567", "040-123 4567",
                                   "+358401234567", "00358 40 123 4567", "(040) 123 4567"])
def test_finnish_mobile_number_in_any_format_is_one_number(value):
    assert normalise_phone(value) == "+358401234567"


def test_foreign_and_landline_numbers_are_kept_in_international_form():
    assert normalise_phone("+46 8 123 456 78") == "+46812345678"
    assert normalise_phone("09 1234 5678") == "+358912345678"


@pytest.mark.parametrize("value", ["", "abc", "123", "040"])
def test_impossible_phone_numbers_are_refused(value):
    with pytest.raises(InvalidInput) as error:
        normalise_phone(value, field="phones.0")
    assert list(fields_of(error)) == ["phones.0"]


def test_email_is_lower_cased():
    assert normalise_email("  Maija.Meikalainen@Esimerkki.FI ") == "maija.meikalainen@esimerkki.fi"


@pytest.mark.parametrize("value", ["", "maija", "maija@", "@esimerkki.fi", "maija@esimerkki", "a b@c.fi"])
def test_bad_email_is_refused(value):
    with pytest.raises(InvalidInput) as error:
        normalise_email(value)
    assert list(fields_of(error)) == ["email"]
