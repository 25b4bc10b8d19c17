"""A mail backend for tests that behaves like an SMTP server refusing some
recipients: addresses at refused.example are rejected with a 550, the rest
land in django.core.mail.outbox like the locmem backend."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            refused = [a for a in message.to if a.endswith("@refused.example")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {a: (550, b"5.1.1 Mailbox does not exist") for a in refused}
                )
        return super().send_messages(messages)


class BusyBackend(EmailBackend):
    """Like an SMTP server that is busy for a while: while `busy` is true,
    addresses at busy.example get a 451 (try again later); then it accepts
    them. Counts the attempts in `attempts`."""

    busy = True
    attempts: list[str] = []

    def send_messages(self, messages):
        for message in messages:
            BusyBackend.attempts.extend(message.to)
            busy = [a for a in message.to if a.endswith("@busy.example")]
            if busy and BusyBackend.busy:
                raise smtplib.SMTPRecipientsRefused(
                    {a: (451, b"4.3.0 Try again later") for a in busy}
                )
        return super().send_messages(messages)
