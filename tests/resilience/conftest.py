import email
import socket

import pytest

from tests.factories import MeetingFactory, OrganiserFactory


@pytest.fixture
def organiser_of_meeting():
    """(organiser user, open meeting of their chapter, meeting page path)."""
    meeting = MeetingFactory()
    organiser = OrganiserFactory(chapter=meeting.chapter).user
    path = f"/en/manage/{meeting.chapter.iso2}/meetings/{meeting.pk}/"
    return organiser, meeting, path


@pytest.fixture
def smtp_sink():
    """A real SMTP server on the loopback (aiosmtpd) whose answer the test
    switches: `sink.refuse = True` answers 451 to every recipient,
    `sink.stop()` makes it unreachable, `sink.start()` brings it back.
    `sink.received` lists the recipients of accepted messages,
    `sink.message_ids` their Message-IDs."""
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.refuse = False
            self.received: list[str] = []
            self.message_ids: list[str] = []
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
            self.controller = None

        async def handle_RCPT(self, server, session, envelope, address, options):
            if self.refuse:
                return "451 4.3.0 Mailbox temporarily unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.received.extend(a.lower() for a in envelope.rcpt_tos)
            parsed = email.message_from_bytes(envelope.original_content)
            self.message_ids.append(parsed["Message-ID"])
            return "250 Message accepted"

        def start(self):
            self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    sink = Sink()
    sink.start()
    yield sink
    sink.stop()
