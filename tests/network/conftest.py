"""A real SMTP server (aiosmtpd) for the e-mail and worker tests."""

from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from bench.server import free_port


class Collector:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append(
            (sorted(envelope.rcpt_tos), str(make_header(decode_header(message["Subject"]))))
        )
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port; `stop()` and `start()` take it down and up."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    settings.EMAIL_USE_TLS = False

    class Server:
        collector = Collector()
        controller = None

        def start(self):
            self.controller = Controller(self.collector, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            self.controller.stop()
            self.controller = None

    server = Server()
    server.port = port
    server.start()
    yield server
    if server.controller is not None:
        server.stop()
