"""The demo's and the tests' gateway: writes each message to the log and keeps it in `outbox`
(like Django's locmem mail outbox). Nothing leaves the machine."""

import logging

from aspa.sms.gateway import Outgoing, SmsBackend, register

logger = logging.getLogger(__name__)


@register("console")
class ConsoleBackend(SmsBackend):
    outbox: list[Outgoing] = []

    def send(self, message: Outgoing) -> str:
        self.outbox.append(message)
        provider_id = f"console-{message.reference.hex}"
        logger.info("Text message to %s (%s): %s", message.to, message.language, message.text)
        return provider_id
