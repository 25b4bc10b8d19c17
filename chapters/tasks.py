"""Background work of the chapters app, and the portal's housekeeping on
the schedule of `manage.py crontask`."""

from crontask import cron
from django.core.management import call_command
from django.tasks import task

from .exports import export_job_run, export_jobs_prune
from .notifications import digests_send

# Exports are files of thousands of rows: they run with the imports, on the
# queue served by its own worker, so e-mail never waits behind them.
FILES_QUEUE = "imports"


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


@task(queue_name=FILES_QUEUE)
def export_job_run_task(*, job_id: int) -> None:
    """Writes an organiser's export. A retried task finds the job done (or
    failed) and writes nothing."""
    export_job_run(job_id=job_id)


@cron("50 3 * * *")
@task()
def export_jobs_prune_task() -> int:
    """Prepared exports and their files leave after EXPORTS_KEEP_DAYS days."""
    return export_jobs_prune()
