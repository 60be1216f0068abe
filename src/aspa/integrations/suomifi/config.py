"""pysaml2 configurations built from the settings, loaded once per process and reused.

Loading a configuration parses (and for a URL, fetches) the identity provider's metadata, so
it is cached; a metadata URL is fetched again after METADATA_REFRESH_SECONDS. The pysaml2
client and server objects themselves are made per request because they collect state."""

import copy
import functools
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import IdPConfig, SPConfig
from saml2.ident import IdentDB
from saml2.metadata import create_metadata_string
from saml2.population import Population
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.sigver import SigverError, get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from aspa.integrations.suomifi.keys import key_pair, sp_key_pair

METADATA_REFRESH_SECONDS = 6 * 3600
# Clocks of Aspa and the identity provider may differ this much (seconds).
CLOCK_SKEW_SECONDS = 60
SIGNING_ALGORITHM = SIG_RSA_SHA256
DIGEST_ALGORITHM = DIGEST_SHA256

METADATA_PATH = "/saml/metadata/"
ACS_PATH = "/saml/acs/"
SLS_PATH = "/saml/sls/"
TEST_IDP_PATH = "/saml/test-idp/"
TEST_IDP_METADATA_PATH = "/saml/test-idp/metadata/"
TEST_IDP_LOGOUT_PATH = "/saml/test-idp/logout/"


def test_idp_enabled() -> bool:
    """The built-in test identity provider exists only in demo mode or when switched on."""
    return bool(settings.DEMO_MODE or settings.SAML_TEST_IDP)


@dataclass(frozen=True)
class Site:
    """Everything the configurations are built from: the addresses Aspa answers at (from
    ASPA_SAML_BASE_URL, else the request) and the SAML settings. Hashable, so that the loaded
    configurations are cached per distinct value."""

    base_url: str
    sp_entity_id: str
    sp_name: str
    key_file: str
    cert_file: str
    idp_metadata: str
    idp_metadata_cert: str
    with_test_idp: bool

    @classmethod
    def of(cls, request: HttpRequest) -> "Site":
        base_url = (settings.SAML_BASE_URL or request.build_absolute_uri("/")).rstrip("/")
        key_file, cert_file = sp_key_pair()
        return cls(
            base_url=base_url,
            sp_entity_id=settings.SAML_SP_ENTITY_ID or base_url + METADATA_PATH,
            sp_name=settings.SAML_SP_NAME,
            key_file=str(key_file),
            cert_file=str(cert_file),
            idp_metadata=settings.SAML_IDP_METADATA,
            idp_metadata_cert=settings.SAML_IDP_METADATA_CERT,
            with_test_idp=test_idp_enabled(),
        )

    @property
    def test_idp_entity_id(self) -> str:
        return self.base_url + TEST_IDP_METADATA_PATH

    def url(self, path: str) -> str:
        return self.base_url + path


def service_provider(request: HttpRequest) -> Saml2Client:
    """A pysaml2 client for Aspa as service provider, trusting the configured identity providers.

    Making one reads the private key and runs xmlsec1 (a quarter of a second), so a loaded one
    is copied; the copy gets fresh containers for the per-person state pysaml2 collects."""
    site = Site.of(request)
    client = copy.copy(_sp_client(site, _metadata_epoch(site)))
    client.users = Population()
    client.state = {}
    return client


def sp_metadata(request: HttpRequest) -> bytes:
    return _sp_metadata(Site.of(request))


def test_identity_provider(request: HttpRequest) -> Server:
    """A pysaml2 server for the built-in test identity provider, trusting Aspa's metadata
    (copied from a loaded one like service_provider(), with empty stores of its own)."""
    prototype = _test_idp_server(Site.of(request))
    server = copy.copy(prototype)
    server.ticket = {}
    server.session_db = server.choose_session_storage()
    server.ident = IdentDB({}, domain=prototype.ident.domain, name_qualifier=prototype.ident.name_qualifier)
    return server


def test_idp_metadata(request: HttpRequest) -> bytes:
    return _test_idp_metadata(Site.of(request))


# --- building the configurations ----------------------------------------------------------


def _metadata_epoch(site: Site) -> int:
    # A metadata URL is fetched again when the epoch changes; files and the test IdP never change.
    if site.idp_metadata.startswith(("https://", "http://")):
        return int(time.time() // METADATA_REFRESH_SECONDS)
    return 0


def _xmlsec_binary() -> str:
    try:
        return settings.SAML_XMLSEC_BINARY or get_xmlsec_binary()
    except SigverError:
        raise ImproperlyConfigured(
            "SAML needs the xmlsec1 program (Debian: apt-get install xmlsec1) or ASPA_SAML_XMLSEC_BINARY."
        ) from None


def _common(entity_id: str, key_file: str, cert_file: str) -> dict:
    return {
        "entityid": entity_id,
        "xmlsec_binary": _xmlsec_binary(),
        "crypto_backend": "xmlsec1",
        "key_file": key_file,
        "cert_file": cert_file,
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "signing_algorithm": SIGNING_ALGORITHM,
        "digest_algorithm": DIGEST_ALGORITHM,
        # Signatures are checked only against keys in the partner's metadata, never a key the
        # message itself carries.
        "only_use_keys_in_metadata": True,
        "allow_unknown_attributes": True,
        "delete_tmpfiles": True,
    }


def _sp_settings(site: Site) -> dict:
    config = _common(site.sp_entity_id, site.key_file, site.cert_file)
    config["encryption_keypairs"] = [{"key_file": site.key_file, "cert_file": site.cert_file}]
    config["name"] = site.sp_name
    config["service"] = {
        "sp": {
            "name": site.sp_name,
            "endpoints": {
                "assertion_consumer_service": [(site.url(ACS_PATH), BINDING_HTTP_POST)],
                "single_logout_service": [(site.url(SLS_PATH), BINDING_HTTP_REDIRECT)],
            },
            "name_id_format": [NAMEID_FORMAT_TRANSIENT],
            "authn_requests_signed": True,
            "logout_requests_signed": True,
            "logout_responses_signed": True,
            # Suomi.fi signs (and encrypts) the assertion; the envelope may be unsigned.
            "want_assertions_signed": True,
            "want_response_signed": False,
            # Every response must answer a request this browser started (replay protection).
            "allow_unsolicited": False,
            "requested_attribute_name_format": NAME_FORMAT_URI,
        }
    }
    return config


@functools.lru_cache(maxsize=8)
def _sp_config(site: Site, epoch: int) -> SPConfig:
    config = _sp_settings(site)
    metadata: dict[str, list] = {}
    source = site.idp_metadata
    if source.startswith(("https://", "http://")):
        remote = {"url": source}
        if site.idp_metadata_cert:
            # The metadata is signed by the federation; its signature is checked with this certificate.
            remote["cert"] = site.idp_metadata_cert
        metadata["remote"] = [remote]
    elif source:
        if not Path(source).is_file():
            raise ImproperlyConfigured(f"ASPA_SAML_IDP_METADATA: no such file {source}")
        metadata["local"] = [source]
    if site.with_test_idp:
        metadata["inline"] = [_test_idp_metadata(site).decode()]
    config["metadata"] = metadata
    return SPConfig().load(config)


@functools.lru_cache(maxsize=8)
def _sp_client(site: Site, epoch: int) -> Saml2Client:
    return Saml2Client(config=_sp_config(site, epoch))


@functools.lru_cache(maxsize=8)
def _sp_metadata(site: Site) -> bytes:
    config = SPConfig().load(_sp_settings(site))
    return _as_bytes(create_metadata_string(None, config=config, sign=False))


def _test_idp_settings(site: Site) -> dict:
    idp_key, idp_cert = key_pair("test-idp", "Aspa test identity provider")
    config = _common(site.test_idp_entity_id, str(idp_key), str(idp_cert))
    config["name"] = "Aspa test identity provider"
    config["service"] = {
        "idp": {
            "name": "Aspa test identity provider",
            "endpoints": {
                "single_sign_on_service": [(site.url(TEST_IDP_PATH), BINDING_HTTP_REDIRECT)],
                "single_logout_service": [(site.url(TEST_IDP_LOGOUT_PATH), BINDING_HTTP_REDIRECT)],
            },
            "name_id_format": [NAMEID_FORMAT_TRANSIENT],
            "want_authn_requests_signed": True,
            "sign_assertion": True,
            "sign_response": False,
            "policy": {
                "default": {
                    "lifetime": {"minutes": 5},
                    "attribute_restrictions": None,
                    "name_form": NAME_FORMAT_URI,
                },
            },
        }
    }
    return config


@functools.lru_cache(maxsize=8)
def _test_idp_config(site: Site) -> IdPConfig:
    config = _test_idp_settings(site)
    config["metadata"] = {"inline": [_sp_metadata(site).decode()]}
    return IdPConfig().load(config)


@functools.lru_cache(maxsize=8)
def _test_idp_server(site: Site) -> Server:
    return Server(config=_test_idp_config(site))


@functools.lru_cache(maxsize=8)
def _test_idp_metadata(site: Site) -> bytes:
    config = IdPConfig().load(_test_idp_settings(site))
    return _as_bytes(create_metadata_string(None, config=config, sign=False))


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()
