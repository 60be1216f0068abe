"""Electronic forms for tests: the city's real catalogue with the nine shipped forms, residents
with a customer record, small PNG/PDF files that pass the sniffing check, and valid answers
(as a browser posts them) for every shipped form."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from stdnum.fi import ytunnus

from aspa.catalogue.operations import load_catalogue
from aspa.customers.models import ContactPoint, Party
from aspa.eforms.loading import load_directory
from aspa.eforms.models import FormDefinition
from aspa.identity.models import Role, User
from tests.factories.customers import PersonFactory, make_national_id
from tests.factories.identity import UserFactory

# The smallest PDF puremagic recognises as application/pdf.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
             b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
NATIONAL_ID = make_national_id(datetime.date(1985, 3, 15), 901)
BUSINESS_ID = next(f"1234567-{digit}" for digit in "0123456789" if ytunnus.is_valid(f"1234567-{digit}"))
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf_file(name: str = "vakuutus.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def png_file(name: str = "kuva.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, "image/png")


@dataclass
class Resident:
    user: User
    party: Party


def make_resident(username: str = "asukas", email: str = "maija@example.fi", language: str = "fi") -> Resident:
    """A resident with email, phone and address; the first one ("asukas") has NATIONAL_ID."""
    party = PersonFactory(first_name="Maija", last_name="Meikäläinen", language=language,
                          national_id=NATIONAL_ID if username == "asukas" else make_national_id())
    ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.EMAIL, value=email, is_primary=True)
    ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.PHONE, value="+358401234567", is_primary=True)
    ContactPoint.objects.create(party=party, kind=ContactPoint.Kind.ADDRESS, street="Rantakatu 5 A 3",
                                postal_code="90100", city="Esimerkkilä", is_primary=True)
    return Resident(user=UserFactory(username=username, role=Role.RESIDENT, party=party), party=party)


def signed_in_client(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def load_city() -> dict[str, FormDefinition]:
    """The city's catalogue and the shipped forms, by code."""
    load_catalogue()
    load_directory()
    return {form.code: form for form in FormDefinition.objects.all()}


@pytest.fixture
def city(db) -> dict[str, FormDefinition]:
    return load_city()


def next_month() -> str:
    return (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


# What a browser posts for each shipped form: valid answers (files are added separately).
VALID_ANSWERS: dict[str, dict] = {
    "kuntalaispalaute": {"f-kind": "complaint", "f-topic": "streets", "f-location": "Rantakatu 5",
                         "f-message": "Katuvalo on ollut rikki viikon.", "f-wants_answer": "on",
                         "f-name": "Maija Meikäläinen", "f-email": "maija@example.fi"},
    "kuntalaisaloite": {"f-title": "Lisää penkkejä rantapuistoon",
                        "f-proposal": "Esitämme, että rantapuistoon lisätään kymmenen penkkiä.",
                        "f-reasons": "Ikääntyneet asukkaat tarvitsevat levähdyspaikkoja.",
                        "f-initiator_kind": "person", "f-name": "Maija Meikäläinen",
                        "f-email": "maija@example.fi", "f-publish": "on"},
    "venepaikkahakemus": {"f-name": "Maija Meikäläinen", "f-national_id": NATIONAL_ID,
                          "f-address": "Rantakatu 5 A 3, 90100 Esimerkkilä", "f-email": "maija@example.fi",
                          "f-phone": "040 123 4567", "f-berth_type": "pier", "f-marina": "keskusta",
                          "f-season_start": next_month(), "f-boat_type": "motorboat", "f-length_m": "6,2",
                          "f-width_m": "2.3", "f-draught_m": "0.5", "f-registration": "A12345",
                          "f-rules_accepted": "on"},
    "viljelypalstahakemus": {"f-name": "Maija Meikäläinen", "f-address": "Rantakatu 5 A 3, 90100 Esimerkkilä",
                             "f-email": "maija@example.fi", "f-phone": "0401234567", "f-area": "kaukovainio",
                             "f-size": "1", "f-experience": "beginner", "f-rules_accepted": "on"},
    "hakkuutahdelupa": {"f-name": "Maija Meikäläinen", "f-address": "Rantakatu 5 A 3, 90100 Esimerkkilä",
                        "f-phone": "0401234567", "f-email": "maija@example.fi", "f-forest_area": "hietasaari",
                        "f-use": "own_heating", "f-amount_m3": "5", "f-transport": "car_trailer",
                        "f-period_start": next_month(), "f-rules_accepted": "on"},
    "pysakointivirhemaksun-oikaisuvaatimus": {
        "f-name": "Maija Meikäläinen", "f-address": "Rantakatu 5 A 3, 90100 Esimerkkilä",
        "f-email": "maija@example.fi", "f-phone": "0401234567", "f-role": "owner", "f-fine_number": "1234567890",
        "f-fine_date": datetime.date.today().isoformat(), "f-registration": "ABC-123",
        "f-grounds": "valid_permit", "f-explanation": "Auton tuulilasissa oli voimassa oleva asukastunnus.",
        "f-refund_account": "FI2112345600000785"},
    "liikunnan-kohdeavustushakemus": {
        "f-club_name": "Esimerkkilän Urheilijat ry", "f-business_id": BUSINESS_ID,
        "f-contact_name": "Maija Meikäläinen", "f-email": "maija@example.fi", "f-phone": "0401234567",
        "f-purpose": "equipment", "f-description": "Uudet juniorijoukkueen pelipaidat ja pallot.",
        "f-amount_eur": "1500", "f-total_cost_eur": "3000", "f-participants": "45", "f-youth": "on",
        "f-youth_count": "40", "f-account": "FI2112345600000785", "f-truthful": "on"},
    "ruoppaus-ja-niittoilmoitus": {
        "f-name": "Maija Meikäläinen", "f-address": "Rantakatu 5 A 3, 90100 Esimerkkilä",
        "f-email": "maija@example.fi", "f-phone": "0401234567", "f-work": "dredging", "f-property_id": "564-12-34-5",
        "f-water_body": "Kotijärvi", "f-area_m2": "150", "f-volume_m3": "80", "f-mass_placement": "on_land",
        "f-start_date": next_month(), "f-owner_consent": "yes", "f-neighbours_informed": "on"},
    "asukaspysakointitunnus": {
        "f-name": "Maija Meikäläinen", "f-address": "Rantakatu 5 A 3, 90100 Esimerkkilä",
        "f-email": "maija@example.fi", "f-phone": "0401234567", "f-zone": "a", "f-registration": "ABC-123",
        "f-vehicle_holder": "self", "f-period": "year", "f-start_date": next_month(), "f-emission_class": "normal",
        "f-confirm": "on"},
}


def text(fi: str, sv: str | None = None, en: str | None = None) -> dict:
    return {"fi": fi, "sv": sv or f"{fi} (sv)", "en": en or f"{fi} (en)"}


def make_form(catalogue, schema: dict, *, code: str = "testilomake", allow_anonymous: bool = False) -> FormDefinition:
    """A form on the small test catalogue's permit service, published as version 1."""
    from aspa.eforms.operations import publish_version

    form = FormDefinition.objects.create(
        code=code, title_fi="Testilomake", title_sv="Testblankett", title_en="Test form",
        service=catalogue.permit, request_type=catalogue.application, allow_anonymous=allow_anonymous)
    publish_version(form, schema)
    return form


def one_section(*fields: dict) -> dict:
    return {"sections": [{"name": "main", "title": text("Tiedot"), "fields": list(fields)}]}
