"""A worker killed in the middle of a chunk leaves its task RUNNING in the
queue (django_tasks_db has no lease): the other chunks are sent by the next
worker, and the organiser's "Hand the queued messages to the sender again"
finishes the batch with each invitee e-mailed once."""

from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from meetings.models import Invitation
from meetings.tasks import invitations_deliver
from tests.factories import ProspectFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def test_a_batch_interrupted_by_a_killed_worker_completes_once_after_the_hand_over(
    client, settings, organiser_of_meeting
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEETINGS_SEND_CHUNK = 4
    organiser, meeting, path = organiser_of_meeting
    for number in range(10):
        representative = RepresentativeFactory(email=f"partner{number}@example.org")
        ProspectFactory(
            chapter=meeting.chapter, organisation=representative.organisation
        )
    client.force_login(organiser)
    client.post(path + "invite/", {"step": "send", "everyone": "on"})
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    chunk = first.args_kwargs["kwargs"]["invitation_ids"]

    # What a worker killed half-way through the first chunk leaves behind:
    # the task claimed (RUNNING) and only part of its chunk sent.
    first.claim("killed-worker")
    invitations_deliver.call(invitation_ids=chunk[:2], message="invitation")

    _worker()
    assert set(
        Invitation.objects.filter(pk__in=chunk[2:]).values_list("status", flat=True)
    ) == {"queued"}
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1

    client.post(path + "invitations/", {"action": "requeue"})
    _worker()
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
    sent_to = Counter(message.to[0] for message in mail.outbox)
    assert len(sent_to) == 10
    assert set(sent_to.values()) == {1}
