"""A client for clamd's INSTREAM command, the one call Aspa makes to ClamAV.

Written here rather than taken from PyPI: the clients there (python-clamd and its forks) are
GPL-2.0, which does not sit well with Aspa's EUPL-1.2, and the protocol is a few lines
(clamd(8): "zINSTREAM\\0", then chunks each prefixed by its length as a 4-byte big-endian
integer, a zero-length chunk to end; the answer is "stream: OK" or "stream: <name> FOUND")."""

import socket
import struct
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

CHUNK = 64 * 1024


class ClamdError(Exception):
    """clamd could not be reached or gave an answer that is not a verdict."""


def _connect(address: str, timeout: float) -> socket.socket:
    parts = urlsplit(address)
    if parts.scheme == "unix" and parts.path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = parts.path
    elif parts.scheme == "tcp" and parts.hostname:
        connection = socket.socket(socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET, socket.SOCK_STREAM)
        target = (parts.hostname, parts.port or 3310)
    else:
        raise ImproperlyConfigured(
            f"ASPA_CLAMAV_ADDRESS must be unix:///path/to/clamd.ctl or tcp://host:3310, not {address!r}")
    connection.settimeout(timeout)
    try:
        connection.connect(target)
    except OSError:
        connection.close()
        raise
    return connection


def instream(address: str, data: bytes, timeout: float) -> tuple[str, str]:
    """("OK", "") or ("FOUND", signature name) for these bytes; ClamdError when there is no verdict."""
    try:
        with _connect(address, timeout) as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as error:
        raise ClamdError(str(error)) from error
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    verdict = text.removeprefix("stream:").strip()
    if verdict == "OK":
        return "OK", ""
    if verdict.endswith(" FOUND"):
        return "FOUND", verdict.removesuffix(" FOUND")
    raise ClamdError(text or "no answer")
