"""A worker killed in the middle of a chunk leaves its task RUNNING in the
queue and its claims on the invitations it had not finished. Nobody presses
anything: once the claims are older than the lease, the recovery (run every
minute) hands them back and closes the dead task, and the next worker
completes the batch with each invitee e-mailed exactly once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.models import Invitation
from meetings.services.sending import deliver_chunk
from tests.factories import ProspectFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def test_a_batch_interrupted_by_a_killed_worker_completes_once_by_itself(
    client, settings, organiser_of_meeting
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEETINGS_SEND_CHUNK = 4
    organiser, meeting, path = organiser_of_meeting
    for number in range(10):
        representative = RepresentativeFactory(
            email=f"partner{number}@example.org", chapter=meeting.chapter
        )
        ProspectFactory(
            chapter=meeting.chapter, organisation=representative.organisation
        )
    client.force_login(organiser)
    client.post(path + "invite/", {"step": "send", "everyone": "on"})
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    chunk = first.args_kwargs["kwargs"]["invitation_ids"]

    # What a worker killed half-way through the first chunk leaves behind:
    # the task claimed (RUNNING), two messages sent and recorded, the other
    # two claimed and never recorded.
    first.claim("killed-worker")
    deliver_chunk(invitation_ids=chunk[:2], message="invitation")
    Invitation.objects.filter(pk__in=chunk[2:]).update(
        claimed_at=timezone.now(), claimed_by="host:1:killed"
    )

    _worker()  # the other chunks; the killed worker's claims are still fresh
    assert set(
        Invitation.objects.filter(pk__in=chunk[2:]).values_list("status", flat=True)
    ) == {"queued"}

    # Later than the lease, the every-minute recovery runs.
    DBTaskResult.objects.filter(pk=first.pk).update(
        started_at=timezone.now() - timedelta(minutes=10)
    )
    Invitation.objects.filter(pk__in=chunk[2:]).update(
        claimed_at=timezone.now() - timedelta(minutes=10)
    )
    call_command("recover_invitation_sends")
    _worker()
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
    sent_to = Counter(message.to[0] for message in mail.outbox)
    assert len(sent_to) == 10
    assert set(sent_to.values()) == {1}
    first.refresh_from_db()
    assert first.status == "FAILED"
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
