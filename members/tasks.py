"""Background work of the members app: checking and importing files.
A retried task finds the job already done (or claimed) and does nothing.

Imports run on their own queue, served by its own worker (`db_worker
--queue-name imports`, see docs/import.md), so e-mail on the default queue
never waits behind a large file."""

from crontask import cron
from django.contrib.auth import get_user_model
from django.tasks import task

from .models import ImportJob
from .services.imports import ImportNotReady, import_job_check, import_job_commit
from .services.membership_reminders import membership_reminders_queue

IMPORTS_QUEUE = "imports"


@task(queue_name=IMPORTS_QUEUE)
def import_check_task(*, job_id: int) -> None:
    job = ImportJob.objects.select_related("chapter", "created_by").get(pk=job_id)
    if job.status == ImportJob.Status.UPLOADED:
        # On behalf of the organiser who uploaded the file.
        import_job_check(actor=job.created_by, job=job)


@task(queue_name=IMPORTS_QUEUE)
def import_commit_task(*, job_id: int, actor_id: int) -> None:
    job = ImportJob.objects.select_related("chapter").get(pk=job_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        import_job_commit(actor=actor, job=job)
    except ImportNotReady:
        return


@cron("30 6 * * *")
@task()
def membership_reminders_task() -> int:
    """send_membership_reminders on the schedule of `manage.py crontask`:
    each consultation is reminded once."""
    return membership_reminders_queue()
