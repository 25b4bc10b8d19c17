"""Run periodically (every hour, or once a day, from cron or a systemd
timer): e-mails the organisers who chose the daily digest what organisations
did since their last one. Safe to run as often as wanted: each notice is
sent once, and each organiser gets at most one digest in 20 hours."""

from django.core.management.base import BaseCommand

from chapters.notifications import digests_send


class Command(BaseCommand):
    help = "Queue the daily digest e-mails of the chapters' organisers."

    def handle(self, *args, **options):
        count = digests_send()
        self.stdout.write(f"{count} digests queued.")
