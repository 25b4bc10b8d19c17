"""Background work of the chapters app."""

from django.tasks import task

from .notifications import digests_send


@task()
def organiser_digests_task() -> int:
    """The worker's way to run send_organiser_digests (for deployments that
    schedule tasks rather than commands). Sends each notice at most once."""
    return digests_send()
