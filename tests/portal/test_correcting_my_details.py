"""A resident corrects their own contact details, language and notification choices. The name and
henkilötunnus come from the population register and cannot be changed here; bad input is refused
next to its field and changes nothing; an edit based on an old version saves nothing."""

import re

import pytest
from django.conf import settings

from aspa.audit.models import AuditEntry
from aspa.customers.models import Consent, ContactPoint
from aspa.customers.preferences import EMAIL_MESSAGES, EMAIL_STATUS, SMS_MESSAGES, SMS_STATUS
from aspa.identity.models import Role
from tests.factories.identity import UserFactory
from tests.factories.requests import PersonFactory


def details(world, **changes) -> dict:
    """The form as the page fills it for Maija, with `changes`."""
    world.party.refresh_from_db()
    values = {"version": world.party.version, "email": "maija@example.fi", "phone": "+358401234567",
              "street": "", "postal_code": "", "city": "", "language": "sv", "contact_preference": "email",
              "email_messages": "on", "email_status": "on"}
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def points(party, kind):
    return list(party.contact_points.filter(kind=kind).values_list("value", flat=True))


def test_the_page_shows_the_register_details_read_only_and_the_rest_in_a_form(world, signed_in):
    page = signed_in(world.resident).get("/portal/me/").content.decode()
    assert "Maija Meikäläinen" in page and "population register" in page
    assert 'name="first_name"' not in page and 'name="national_id"' not in page
    assert 'value="maija@example.fi"' in page and 'value="+358401234567"' in page
    # She has a phone, so text messages are offered; off unless she asks for them.
    assert 'name="sms_messages"' in page and 'name="sms_messages" checked' not in page
    assert 'name="email_messages" checked' in page


def test_a_resident_saves_new_contact_details_language_and_choices(world, signed_in):
    client = signed_in(world.resident)
    version = world.party.version
    response = client.post("/portal/me/", details(
        world, email=" Maija.Uusi@Example.FI ", phone="040 765 4321", street="Kirkkokatu 1",
        postal_code="00170", city="Helsinki", language="en", email_messages=None, sms_status="on",
        first_name="Ei", national_id="010101-123N"))
    assert response.status_code == 302
    world.party.refresh_from_db()
    assert world.party.version == version + 1
    assert (world.party.first_name, world.party.language) == ("Maija", "en")  # the name is not the resident's to change
    assert points(world.party, ContactPoint.Kind.EMAIL) == ["maija.uusi@example.fi"]
    assert points(world.party, ContactPoint.Kind.PHONE) == ["+358407654321"]
    address = world.party.contact_points.get(kind=ContactPoint.Kind.ADDRESS)
    assert (address.street, address.postal_code, address.city) == ("Kirkkokatu 1", "00170", "Helsinki")
    chosen = dict(Consent.objects.filter(party=world.party).values_list("purpose", "granted"))
    assert chosen == {EMAIL_MESSAGES: False, EMAIL_STATUS: True, SMS_MESSAGES: False, SMS_STATUS: True}
    # The change is in the audit log, and the chosen language is the page language from now on.
    assert AuditEntry.objects.filter(actor=world.resident, action="update", party_id=world.party.pk).exists()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/portal/me/").content.decode()
    assert "Your details have been saved." in page


def test_other_addresses_the_city_has_are_kept(world, signed_in):
    ContactPoint.objects.create(party=world.party, kind=ContactPoint.Kind.EMAIL, value="tyo@example.fi")
    signed_in(world.resident).post("/portal/me/", details(world, email="maija@koti.fi"))
    assert sorted(points(world.party, ContactPoint.Kind.EMAIL)) == ["maija@koti.fi", "tyo@example.fi"]
    assert world.party.contact_points.get(kind=ContactPoint.Kind.EMAIL, is_primary=True).value == "maija@koti.fi"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "maija(at)example.fi"}, "email", "This is not a valid email address."),
    ({"phone": "12"}, "phone", "This is not a valid phone number."),
    ({"street": "Kirkkokatu 1"}, "street", "Give the street address, the postal code and the post office"),
    # Next to the postal code, not the street; and in the same round as another field's error.
    ({"street": "Kirkkokatu 1", "postal_code": "170", "city": "Helsinki"}, "postal_code",
     "A Finnish postal code has five digits."),
    ({"email": "maija(at)example.fi", "street": "Kirkkokatu 1", "postal_code": "1234X", "city": "Helsinki"},
     "postal_code", "A Finnish postal code has five digits."),
    ({"phone": "", "sms_messages": "on"}, "phone", "Give a phone number for the text messages"),
    ({"language": "de"}, "language", "Select a valid choice."),
    ({"contact_preference": "letter"}, "contact_preference", "Give the contact detail this needs above"),
    ({"email": "", "contact_preference": "email"}, "contact_preference", "Give the contact detail this needs above"),
])
def test_bad_input_is_refused_next_to_its_field_and_changes_nothing(world, signed_in, changes, field, message):
    before = (world.party.version, sorted(ContactPoint.objects.filter(party=world.party).values_list("value", flat=True)))
    response = signed_in(world.resident).post("/portal/me/", details(world, **changes))
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    if field != "language":
        # Next to the field, and tied to it for screen readers.
        error = page[page.index(f'id="id_{field}-error"'):]
        assert message in error[:300]
        assert re.search(rf'aria-describedby="[^"]*id_{field}-error"', page)
    world.party.refresh_from_db()
    after = (world.party.version, sorted(ContactPoint.objects.filter(party=world.party).values_list("value", flat=True)))
    assert after == before
    assert not Consent.objects.filter(party=world.party).exists()


def test_a_bad_postal_code_is_the_only_error_of_an_otherwise_whole_address(world, signed_in):
    response = signed_in(world.resident).post("/portal/me/", details(
        world, street="Kirkkokatu 1", postal_code="1234X", city="Helsinki"))
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_postal_code-error"' in page and 'id="id_street-error"' not in page


def test_a_change_based_on_an_old_version_saves_nothing(world, signed_in):
    client = signed_in(world.resident)
    # In English throughout: a saved language becomes the page language (the cookie).
    stale = details(world, email="vanha@example.fi", language="en")
    client.post("/portal/me/", details(world, email="uusin@example.fi", language="en"))  # saved elsewhere meanwhile
    response = client.post("/portal/me/", stale)
    assert response.status_code == 409
    assert "changed elsewhere" in response.content.decode()
    assert points(world.party, ContactPoint.Kind.EMAIL) == ["uusin@example.fi"]


def test_text_messages_are_offered_only_with_a_phone_number(db, catalogue, signed_in):
    resident = UserFactory(role=Role.RESIDENT, party=PersonFactory(last_name="Puhelimeton"))
    page = signed_in(resident).get("/portal/me/").content.decode()
    assert 'name="sms_messages"' not in page and 'name="email_messages"' in page


def test_staff_have_no_my_details_page(world, signed_in):
    response = signed_in(world.advisor).post("/portal/me/", details(world, email="neuvoja@example.fi"))
    assert response.status_code == 403
    assert points(world.party, ContactPoint.Kind.EMAIL) == ["maija@example.fi"]
