"""Background work of the members app: checking and importing large files.
A retried task finds the job already done (or claimed) and does nothing."""

from django.contrib.auth import get_user_model
from django.tasks import task

from .imports import ImportNotReady, import_job_check, import_job_commit
from .membership import membership_reminders_queue
from .models import ImportJob


@task()
def import_check_task(*, job_id: int) -> None:
    job = ImportJob.objects.select_related("chapter").get(pk=job_id)
    if job.status == ImportJob.Status.UPLOADED:
        import_job_check(job=job)


@task()
def import_commit_task(*, job_id: int, actor_id: int) -> None:
    job = ImportJob.objects.select_related("chapter").get(pk=job_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        import_job_commit(actor=actor, job=job)
    except ImportNotReady:
        return


@task()
def membership_reminders_task() -> int:
    """The worker's way to run send_membership_reminders (for deployments
    that schedule tasks rather than commands)."""
    return membership_reminders_queue()
