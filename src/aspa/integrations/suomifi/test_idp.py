"""The built-in test identity provider: a real pysaml2 identity provider with its own key that
vouches for a few fixed test persons. It exists for the demo and the tests only (see
config.test_idp_enabled) and answers like Suomi.fi: signed, encrypted assertions with the
attributes named by their OIDs."""

import base64
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.samlp import NameIDPolicy

from aspa.identity.models import User
from aspa.integrations.suomifi import attributes, config

# The level of assurance Suomi.fi reports for strong electronic identification ("substantial").
AUTHN_CONTEXT = "http://ftn.ficora.fi/2017/loa2"
PENDING_SESSION_KEY = "aspa_test_idp_pending"


@dataclass(frozen=True)
class TestPerson:
    __test__ = False  # not a pytest test class

    national_id: str
    first_names: str
    given_name: str
    last_name: str
    email: str = ""
    home_municipality: str = "564"
    description: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.last_name}"

    def attribute_values(self) -> dict[str, list[str]]:
        values = {
            attributes.NATIONAL_ID: [self.national_id],
            attributes.FIRST_NAMES: [self.first_names],
            attributes.GIVEN_NAME: [self.given_name],
            attributes.SURNAME: [self.last_name],
            attributes.COMMON_NAME: [f"{self.last_name} {self.first_names}"],
            attributes.HOME_MUNICIPALITY: [self.home_municipality],
        }
        if self.email:
            values[attributes.MAIL] = [self.email]
        return values


# Test identity codes: individual numbers 900-999 never belong to a real person.
TEST_PERSONS = (
    TestPerson("150385-9013", "Matti Tapani", "Matti", "Virtanen", "matti.virtanen@example.fi",
               description=_("resident with an email address")),
    TestPerson("020290-9027", "Aino Maria", "Aino", "Korhonen", "aino.korhonen@example.fi",
               description=_("resident with an email address")),
    TestPerson("241275-903M", "Erik Johan", "Erik", "Lindholm", "erik.lindholm@example.fi", "905",
               description=_("Swedish-speaking resident from another municipality")),
    TestPerson("311299-904C", "Sanna Liisa", "Sanna", "Mäkinen",
               description=_("resident without an email address")),
)


def test_persons() -> list[TestPerson]:
    """The fixed test persons, and first the demo's resident "asukas" when the demo is loaded."""
    persons = list(TEST_PERSONS)
    demo = (User.objects.filter(username="asukas", party__national_id__isnull=False)
            .select_related("party").first())
    if demo is not None and demo.party.national_id not in {person.national_id for person in persons}:
        party = demo.party
        persons.insert(0, TestPerson(
            party.national_id, party.first_name, party.first_name.split(" ")[0], party.last_name,
            demo.email, description=_("the demo's resident (asukas)")))
    return persons


def find_person(national_id: str) -> TestPerson | None:
    return next((person for person in test_persons() if person.national_id == national_id), None)


class TestIdpError(Exception):
    __test__ = False


def receive_authn_request(request: HttpRequest) -> dict:
    """Check a service provider's signed AuthnRequest (HTTP-Redirect) and return what the
    answer needs: where to post it, to whom, in answer to which request."""
    server = config.test_identity_provider(request)
    try:
        parsed = server.parse_authn_request(
            request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT,
            relay_state=request.GET.get("RelayState"), sigalg=request.GET.get("SigAlg"),
            signature=request.GET.get("Signature"),
        )
        arguments = server.response_args(parsed.message, [BINDING_HTTP_POST])
    except Exception as error:  # pysaml2 raises many kinds for a bad request.
        raise TestIdpError(str(error)) from error
    return {
        "in_response_to": arguments["in_response_to"],
        "destination": arguments["destination"],
        "sp_entity_id": arguments["sp_entity_id"],
        "relay_state": request.GET.get("RelayState", ""),
    }


def issue_response(request: HttpRequest, person: TestPerson, pending: dict, *, encrypt: bool = True,
                   sign_assertion: bool = True) -> str:
    """A signed SAML Response (XML) for `person`, as Suomi.fi would send it.

    The keyword arguments exist so that tests can make responses a real provider must not."""
    server = config.test_identity_provider(request)
    encryption = {}
    if encrypt:
        encryption = {"encrypt_assertion": True, "encrypt_assertion_self_contained": True,
                      "encrypt_cert_assertion": _sp_encryption_certificate(server, pending["sp_entity_id"])}
    response = server.create_authn_response(
        person.attribute_values(),
        in_response_to=pending["in_response_to"],
        destination=pending["destination"],
        sp_entity_id=pending["sp_entity_id"],
        name_id_policy=NameIDPolicy(format=NAMEID_FORMAT_TRANSIENT, allow_create="true"),
        userid=person.national_id,
        authn={"class_ref": AUTHN_CONTEXT},
        sign_assertion=sign_assertion,
        sign_response=False,
        sign_alg=config.SIGNING_ALGORITHM,
        digest_alg=config.DIGEST_ALGORITHM,
        **encryption,
    )
    return str(response)


def _sp_encryption_certificate(server, sp_entity_id: str) -> str:
    certificates = server.metadata.certs(sp_entity_id, "spsso", "encryption")
    if not certificates:
        raise TestIdpError(f"No encryption certificate for {sp_entity_id}")
    return certificates[0][1]


def encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def answer_logout_request(request: HttpRequest) -> str:
    """Check a service provider's signed LogoutRequest and return the URL of its signed answer."""
    server = config.test_identity_provider(request)
    try:
        parsed = server.parse_logout_request(
            request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT,
            relay_state=request.GET.get("RelayState"), sigalg=request.GET.get("SigAlg"),
            signature=request.GET.get("Signature"),
        )
        logout_request = parsed.message
        response = server.create_logout_response(logout_request, [BINDING_HTTP_REDIRECT], sign=False)
        destination = server.metadata.single_logout_service(
            logout_request.issuer.text, BINDING_HTTP_REDIRECT, "spsso")[0]["location"]
    except Exception as error:
        raise TestIdpError(str(error)) from error
    http_info = server.apply_binding(BINDING_HTTP_REDIRECT, str(response), destination,
                                     relay_state=request.GET.get("RelayState", ""), response=True,
                                     sign=True, sigalg=config.SIGNING_ALGORITHM)
    return dict(http_info["headers"])["Location"]
