"""The SMTP side of sending (meetings.services.sending): the connection a
chunk goes out over (Transport), the thread that talks to the server while
the worker records (Sender), and how a failure is classified: permanent,
temporary, or an outage of the server. Touches no database."""

import contextlib
import queue
import smtplib
import threading
from collections import deque
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

SEND_ERRORS = (smtplib.SMTPException, OSError, ValueError)


def failure_reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{code} {detail.decode(errors='replace') if isinstance(detail, bytes) else detail}"
            for code, detail in error.recipients.values()
        ]
        return "; ".join(parts)[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        if isinstance(detail, bytes):
            detail = detail.decode(errors="replace")
        return f"{error.smtp_code} {detail}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


PERMANENT, TEMPORARY, OUTAGE = "permanent", "temporary", "outage"


def failure_kind(error: Exception) -> str:
    """permanent: this message will never go (5xx for the recipient or the
    content, an invalid address); temporary: this message may go later
    (4xx for the recipient); outage: the server cannot be used now (refused
    or lost connection, time-out, greeting, authentication or sender
    refused), so the rest of the chunk waits too."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _detail in error.recipients.values()]
        return PERMANENT if codes and all(500 <= c < 600 for c in codes) else TEMPORARY
    if isinstance(error, ValueError):
        return PERMANENT
    if isinstance(error, smtplib.SMTPDataError):
        return PERMANENT if 500 <= error.smtp_code < 600 else TEMPORARY
    return OUTAGE


class Transport:
    """Messages out through the configured mailer. With Django's SMTP
    backend the prepared bytes go straight to its open connection (the
    MIME was assembled by InvitationMailing); any other backend (locmem in
    tests, the development outbox) gets the EmailMessage."""

    def __init__(self):
        self.mailer = mail.mailers.default
        self.smtp = isinstance(self.mailer, SmtpBackend)
        self._from = None

    def send(self, prepared) -> None:
        if self.smtp and prepared.raw is not None:
            if self.mailer.connection is None:
                self.mailer.open()
            if self._from is None:
                self._from = self.mailer.prep_address(settings.DEFAULT_FROM_EMAIL)
            # prepared.raw exists only for a plain ASCII address (no
            # display name, no line break): it is its own envelope address.
            self.mailer.connection.sendmail(self._from, [prepared.to], prepared.raw)
        else:
            self.mailer.open()
            self.mailer.send_messages([prepared.email()])

    def close(self) -> None:
        # A dead connection cannot be closed cleanly; nothing is lost.
        with contextlib.suppress(*SEND_ERRORS):
            self.mailer.close()


class Sender:
    """The SMTP half of a chunk, in a thread of its own: it sends the
    prepared messages handed to it, in order, over the chunk's one
    connection, and hands back each outcome the moment the server answers.
    Meanwhile the worker's own thread records the previous outcome and
    fills in the next message, so the server is never kept waiting for the
    database or the rendering. The thread touches only the transport: no
    database, no translation.

    After an outage (or an unexpected error) it sends nothing more: each
    message still handed to it comes back with that same error, untried."""

    def __init__(self, transport: Transport):
        self._transport = transport
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        # Outcomes in order, each kept until the worker's thread has recorded
        # it: read with next_outcome(), dropped with outcome_recorded(). (A
        # queue's get() would lose the one it took if a stop signal landed
        # as it returned.)
        self._outcomes: deque = deque()
        self._arrived = threading.Condition()
        self._abandon = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="invitation-sender", daemon=True
        )
        self._thread.start()

    def hand(self, item: Any, prepared) -> None:
        self._jobs.put((item, prepared))

    def _run(self) -> None:
        stopped = None  # the error after which nothing more is sent
        while (job := self._jobs.get()) is not None:
            item, prepared = job
            if stopped is not None or self._abandon.is_set():
                self._put(item, stopped or Abandoned())
                continue
            try:
                self._transport.send(prepared)
            except Exception as error:  # handed to the worker's thread
                if not isinstance(error, SEND_ERRORS) or failure_kind(error) == OUTAGE:
                    stopped = error
                self._put(item, error)
            else:
                self._put(item, None)

    def _put(self, item: Any, error: Exception | None) -> None:
        with self._arrived:
            self._outcomes.append((item, error))
            self._arrived.notify()

    def next_outcome(self) -> tuple[Any, Exception | None]:
        """The oldest outcome not recorded yet, waiting for it if needed."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._outcomes)
            return self._outcomes[0]

    def outcome_recorded(self) -> None:
        with self._arrived:
            self._outcomes.popleft()

    def close(self) -> list[Any]:
        """Wait for the thread to end (a message handed over and not sent yet
        is not sent: the worker is leaving early). Returns the messages the
        server accepted whose outcome was not recorded yet."""
        self._abandon.set()
        self._jobs.put(None)
        self._thread.join()
        return [item for item, error in self._outcomes if error is None]


class Abandoned(Exception):
    """A message the sender did not try because the worker stopped."""
