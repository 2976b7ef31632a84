"""A real SMTP server on loopback (aiosmtpd) that records what it accepts."""

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class Recorder:
    """aiosmtpd handler: keeps every accepted message; `delay` slows each DATA reply."""

    delay: float = 0.0
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            found = [item for item in self.received if address in item.recipients]
        return [item.message for item in found]

    def per_recipient(self) -> Counter[str]:
        with self.lock:
            return Counter(rcpt for item in self.received for rcpt in item.recipients)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(delay: float = 0.0):
    """Yield (recorder, port) for a server running on 127.0.0.1 for the duration."""
    recorder = Recorder(delay=delay)
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, data_size_limit=0)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def smtp_mailers(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "timeout": 10}
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }
