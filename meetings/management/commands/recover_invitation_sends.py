"""Run every minute (cron or a systemd timer, beside the worker): hands back
to the worker the meetings e-mail that a stopped worker left half done
(claims older than the lease, never recorded), every owed message that is
due and that no waiting or running task will send (a lost task, an
automatic retry whose task was not kept), and marks the task rows stopped
workers left RUNNING as failed. Safe to run as often as wanted and while
workers run: the worker's claim decides who sends what, and a message whose
sending was recorded is never sent again."""

from django.core.management.base import BaseCommand

from meetings.services.sending import lease_seconds, sends_recover


class Command(BaseCommand):
    help = "Hand unsent meetings e-mail left by stopped workers back to the worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help=(
                "seconds after which a claim counts as abandoned "
                f"(default MEETINGS_SEND_LEASE_SECONDS, now {lease_seconds():g})"
            ),
        )

    def handle(self, *args, **options):
        counts = sends_recover(lease=options["lease"])
        self.stdout.write(
            f"{counts['released']} abandoned claims handed back, "
            f"{counts['requeued']} waiting messages handed to the worker, "
            f"{counts['tasks_closed']} stopped tasks closed."
        )
