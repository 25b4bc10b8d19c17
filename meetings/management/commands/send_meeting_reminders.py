"""Run periodically (e.g. every hour from cron or a systemd timer): queues
the automatic reminder for invitees whose meeting's reminder day has come
and who have not answered. Safe to run as often as wanted: each invitee is
reminded at most once."""

from django.core.management.base import BaseCommand

from meetings.services.invitations import reminders_queue


class Command(BaseCommand):
    help = "Queue the automatic reminders of upcoming meetings."

    def handle(self, *args, **options):
        count = reminders_queue()
        self.stdout.write(f"{count} reminders queued.")
