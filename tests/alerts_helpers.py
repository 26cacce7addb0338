"""Shared helpers of the e-mail tests: links out of messages, a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import threading
from urllib.parse import urlsplit

from tests.processes import free_port

LINK = re.compile(r"https?://[^\s\"<>]+")


def links(text: str) -> list[str]:
    return LINK.findall(text)


def path_of(url: str) -> str:
    return urlsplit(url).path


def link_to(text: str, part: str) -> str:
    """The path of the first link in `text` whose address contains `part`."""
    for url in links(text):
        if part in url:
            return path_of(url)
    raise AssertionError(f"no link containing {part!r} in:\n{text}")


def port_in_range() -> int:
    """A free port in this worktree's range (8120–8139), or any free port."""
    import socket

    for port in range(8120, 8140):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


class SmtpServer:
    """A real SMTP server (aiosmtpd) in a thread of the test process; keeps every message it accepted.

    `refuse` holds addresses answered with 550 at RCPT TO (a bounce); `slow` ones wait 30 s there.
    """

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.slow: set[str] = set()
        self.slow_reached = threading.Event()  # set when a slow recipient's RCPT TO has begun
        self._lock = threading.Lock()
        self.port = port_in_range()
        self.controller = None

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_RCPT(self, smtp_server, session, envelope, address, rcpt_options):
                if address.lower() in server.slow:
                    server.slow_reached.set()
                    await asyncio.sleep(30)
                if address.lower() in server.refuse:
                    return "550 5.1.1 Mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, smtp_server, session, envelope):
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with server._lock:
                    server.messages.append(message)
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address in m["To"]]

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


def parts(message) -> tuple[str, str]:
    """(text, html) of a multipart message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
