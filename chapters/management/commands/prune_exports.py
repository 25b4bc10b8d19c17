"""Run once a day (the scheduler's export_jobs_prune_task, or cron):
removes the organisers' prepared exports older than EXPORTS_KEEP_DAYS days,
with their files. Safe to run as often as wanted."""

from django.core.management.base import BaseCommand

from chapters.exports import export_jobs_prune


class Command(BaseCommand):
    help = "Remove the prepared exports older than EXPORTS_KEEP_DAYS days."

    def handle(self, *args, **options):
        count = export_jobs_prune()
        self.stdout.write(f"{count} prepared exports removed.")
