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


class DroppingBackend(EmailBackend):
    """Like an SMTP server that accepts `accept` messages and then goes away:
    every later message gets a lost connection."""

    accept = 2

    def send_messages(self, messages):
        if len(self.outbox_so_far()) >= DroppingBackend.accept:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

    @staticmethod
    def outbox_so_far():
        from django.core import mail

        return getattr(mail, "outbox", [])


class StoppingBackend(EmailBackend):
    """Accepts messages; while accepting number `stop_at` it tells the
    worker's process to stop at once (SIGINT, as a second Ctrl+C or SIGTERM
    would), a moment after the worker started waiting for the answer."""

    stop_at = 3
    count = 0

    def send_messages(self, messages):
        import signal
        import threading
        import time

        StoppingBackend.count += 1
        if StoppingBackend.count == StoppingBackend.stop_at:
            time.sleep(0.2)
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        return super().send_messages(messages)


class SlowBackend(EmailBackend):
    """Like a slow SMTP server (`seconds` per message). After the message
    numbered `opt_out_at` the address `opt_out` asks not to be contacted,
    as if its owner clicked the link in another e-mail meanwhile."""

    seconds = 0.3
    opt_out_at = 0
    opt_out = ""
    count = 0

    def send_messages(self, messages):
        import time

        from django.db import connection

        from members.models import DoNotContact

        time.sleep(SlowBackend.seconds)
        sent = super().send_messages(messages)
        SlowBackend.count += 1
        if SlowBackend.count == SlowBackend.opt_out_at:
            DoNotContact.objects.create(email=SlowBackend.opt_out)
            connection.close()  # this thread's own connection
        return sent
