"""A real mail server on a local socket for the notification tests: it speaks enough SMTP
(RFC 5321) for Django's SMTP backend, keeps what it receives, and can be made to answer
"try again later" (451) the way a mail server does while it is overloaded or being repaired."""

import email
import email.policy
import socketserver
import threading

import pytest

from tests.factories.eforms import city  # noqa: F401  (the fixture)
from tests.factories.worker import worker_fixture  # noqa: F401  (the fixture)


class SmtpSession(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        self._reply("220 mail.esimerkkila.fi ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].decode("ascii", "replace").upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 mail.esimerkkila.fi")
            elif verb == "MAIL":
                if server.refusing:
                    self._reply("451 4.3.0 Temporary failure, please try again later")
                    continue
                recipients = []
                self._reply("250 2.1.0 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self._reply("250 2.1.5 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                server.received.append((recipients, email.message_from_bytes(self._data(), policy=email.policy.default)))
                self._reply("250 2.0.0 Queued")
            elif verb == "RSET":
                self._reply("250 2.0.0 OK")
            elif verb == "QUIT":
                self._reply("221 2.0.0 Bye")
                return
            else:
                self._reply("502 5.5.2 Command not recognised")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class MailServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.refusing = False
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []


@pytest.fixture
def mail_server(settings):
    """A running mail server; Django's SMTP backend points at it."""
    server = MailServer()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": "127.0.0.1", "port": server.server_address[1], "timeout": 5}}}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
