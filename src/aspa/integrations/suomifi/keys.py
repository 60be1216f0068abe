"""Signing keys and certificates, generated once into the data folder unless a site gives its own."""

import datetime
import fcntl
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

# SAML certificates are only carriers of a public key (metadata pins them), so a long-lived
# self-signed certificate is the norm; Suomi.fi asks for a new one to be announced in metadata.
CERTIFICATE_YEARS = 10


def key_pair(name: str, common_name: str) -> tuple[Path, Path]:
    """(key file, certificate file) called `name` in DATA_DIR/saml, made on first use."""
    directory = Path(settings.DATA_DIR) / "saml"
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    if key_file.exists() and cert_file.exists():
        return key_file, cert_file
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Several workers may start at once: one makes the pair while the others wait, so that
    # nobody reads a key with another worker's certificate.
    with open(directory / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (key_file.exists() and cert_file.exists()):
            key_pem, cert_pem = _generate(common_name)
            _write_private(key_file, key_pem)
            _write_private(cert_file, cert_pem)
    return key_file, cert_file


def sp_key_pair() -> tuple[Path, Path]:
    """Aspa's own key as a service provider: the site's files when set, else generated ones."""
    if settings.SAML_KEY_FILE and settings.SAML_CERT_FILE:
        return Path(settings.SAML_KEY_FILE), Path(settings.SAML_CERT_FILE)
    return key_pair("sp", "Aspa SAML service provider")


def _generate(common_name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CERTIFICATE_YEARS))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def _write_private(path: Path, content: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(temporary, path)
