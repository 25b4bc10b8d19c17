"""Run periodically (e.g. every hour from cron or a systemd timer): reminds
representatives still consulting their organisation once the number of days
their organisers chose has passed. Safe to run as often as wanted: each
consultation is reminded once."""

from django.core.management.base import BaseCommand

from members.services.membership_reminders import membership_reminders_queue


class Command(BaseCommand):
    help = "Queue the reminders of membership requests still being consulted."

    def handle(self, *args, **options):
        count = membership_reminders_queue()
        self.stdout.write(f"{count} membership reminders queued.")
