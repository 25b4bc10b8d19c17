"""The real database worker sends a batch exactly once, even when it is
stopped in the middle and the queued work is handed to it again."""

from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command

from meetings.models import Invitation
from meetings.services.invitations import (
    Recipient,
    invitation_batch_create,
    invitation_requeue_stalled,
)
from meetings.tasks import invitations_deliver
from tests.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(**options):
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, **options)


def test_worker_stopped_mid_batch_and_restarted_sends_each_invitation_once(
    settings, organiser, meeting
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEETINGS_SEND_CHUNK = 2
    reps = [RepresentativeFactory(language="en") for _ in range(5)]
    result = invitation_batch_create(
        actor=organiser,
        meeting=meeting,
        recipients=[
            Recipient(
                name=r.name, email=r.email, language="en", organisation=r.organisation
            )
            for r in reps
        ],
    )
    assert result.queued == 5 and mail.outbox == []

    _worker(max_tasks=1)  # the worker stops after its first chunk
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(status="queued").count() == 3

    # Whatever was queued is handed over again (as after a crash, when the
    # state of the stopped task is unknown): the first chunk twice over.
    invitation_requeue_stalled(actor=organiser, meeting=meeting)
    invitations_deliver.enqueue(
        invitation_ids=list(Invitation.objects.values_list("id", flat=True)),
        message="invitation",
    )
    _worker()
    sent_to = Counter(message.to[0] for message in mail.outbox)
    assert sorted(sent_to) == sorted(r.email for r in reps)
    assert set(sent_to.values()) == {1}
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
