"""Background work of the chapters app, and the portal's housekeeping on
the schedule of `manage.py crontask`."""

from crontask import cron
from django.core.management import call_command
from django.tasks import task

from .notifications import digests_send


@cron("10 * * * *")
@task()
def organiser_digests_task() -> int:
    """send_organiser_digests on the schedule. Sends each notice at most
    once, and each organiser at most one digest a day."""
    return digests_send()


@cron("45 3 * * *")
@task()
def task_results_prune_task() -> None:
    """Finished task rows older than 14 days leave the database, on every
    queue (django-tasks-db's own command)."""
    call_command("prune_db_task_results", queue_name="*", verbosity=0)
