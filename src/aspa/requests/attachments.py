"""Checking an uploaded file before anything is stored: its size, its real type and, where
ClamAV is configured, malware (aspa/malware.py).

The type is read from the bytes, never from the name or the client's Content-Type: an
.exe renamed to .pdf is still an .exe."""

import hashlib
import os
import tempfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aspa import malware
from aspa.errors import InvalidInput

TEXT = "text/plain"
# Types that say "some bytes" or "some text" rather than naming a format.
_GENERIC = {"", "application/octet-stream", TEXT}


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str
    content_type: str
    sha256: str


def _refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": [message]})


def sniff(data: bytes) -> str:
    """The content type the bytes show, or "" if nothing is recognised."""
    # puremagic's deep scan (which tells a .docx from any other zip) needs a file on disk;
    # the neutral suffix keeps the client's extension out of the guess.
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        copy.write(data)
        copy.flush()
        try:
            matches = puremagic.magic_file(copy.name)
        except puremagic.PureError:
            matches = []
    named = [match.mime_type for match in matches if match.mime_type]
    sniffed = named[0] if named else ""
    if sniffed in _GENERIC and _is_utf8_text(data):
        return TEXT
    return sniffed


def _is_utf8_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_name(name: str | None) -> str:
    # Only the last part of a path, without control characters; the stored path never uses it.
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or "attachment"


def check_upload(upload: UploadedFile) -> CheckedFile:
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse(_("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)})
    # Read one byte past the limit so that a lying size header cannot slip a large file through.
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)})
    if not data:
        raise _refuse(_("The file is empty."))
    content_type = sniff(data)
    if content_type not in settings.ATTACHMENT_TYPES:
        raise _refuse(_("This type of file is not accepted. Accepted are PDF, images (JPEG, PNG, GIF), "
                        "text and word-processor documents."))
    checked = CheckedFile(data=data, name=_clean_name(upload.name), content_type=content_type,
                          sha256=hashlib.sha256(data).hexdigest())
    malware.scan(checked.data, checked.name)
    return checked
