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
