"""The person a verified assertion names, read by the attributes' OIDs as Suomi.fi sends them."""

from dataclasses import dataclass

NATIONAL_ID = "urn:oid:1.2.246.21"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
COMMON_NAME = "urn:oid:2.5.4.3"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
# Suomi.fi's "KotikuntaKuntanumero": the population register's three-digit municipality code.
HOME_MUNICIPALITY = "urn:oid:1.2.246.517.2002.2.18"
# Suomi.fi's "FirstName" (all first names; givenName is the name the person goes by).
FIRST_NAMES = "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName"

FRIENDLY_NAMES = {
    NATIONAL_ID: "nationalIdentificationNumber",
    GIVEN_NAME: "givenName",
    SURNAME: "sn",
    COMMON_NAME: "cn",
    MAIL: "mail",
    HOME_MUNICIPALITY: "KotikuntaKuntanumero",
}


@dataclass(frozen=True)
class StrongIdentity:
    """Who the identity provider vouches for, and the handles to log them out there."""

    national_id: str
    first_name: str
    last_name: str
    email: str = ""
    home_municipality: str = ""
    idp_entity_id: str = ""
    name_id: str = ""
    session_index: str = ""


def values_by_name(assertion) -> dict[str, list[str]]:
    """Every attribute of a (verified, decrypted) pysaml2 assertion: name → values."""
    values: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            texts = [(value.text or "").strip() for value in attribute.attribute_value or []]
            values.setdefault(attribute.name, []).extend(text for text in texts if text)
    return values


def identity_from(values: dict[str, list[str]]) -> dict[str, str]:
    """The person's fields from the attribute values; absent ones are empty strings."""

    def first(name: str) -> str:
        return (values.get(name) or [""])[0]

    last_name = first(SURNAME)
    first_name = first(FIRST_NAMES) or first(GIVEN_NAME)
    common_name = first(COMMON_NAME)
    if common_name and last_name and not first_name and common_name.startswith(last_name):
        # Suomi.fi's cn is "Surname Firstnames".
        first_name = common_name[len(last_name):].strip()
    return {
        "national_id": first(NATIONAL_ID),
        "first_name": first_name,
        "last_name": last_name,
        "email": first(MAIL),
        "home_municipality": first(HOME_MUNICIPALITY),
    }
