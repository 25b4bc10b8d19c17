"""The sending pipeline with the real database worker: temporary failures
are retried by themselves after a back-off and then sent once, permanent
ones are marked at once, a stopped worker's claims are taken back and sent
exactly once, a recorded send is never repeated, the recovery can run any
number of times, and every message carries a Message-ID that is the same
for a repeat of one owed message."""

import signal
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.emails import message_id
from meetings.models import Invitation
from meetings.services.invitations import (
    Recipient,
    invitation_batch_create,
    invitation_requeue_stalled,
    invitation_resend,
)
from meetings.services.sending import sends_recover
from members.models import DoNotContact
from tests.factories import RepresentativeFactory
from tests.meetings.backends import BusyBackend

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_settings(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEETINGS_SEND_RETRY_DELAYS = (60, 120)
    settings.MEETINGS_SEND_LEASE_SECONDS = 300
    BusyBackend.busy = True
    BusyBackend.attempts = []
    return settings


def _worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def _invite(organiser, meeting, *emails):
    reps = [RepresentativeFactory(email=email, language="en") for email in emails]
    invitation_batch_create(
        actor=organiser,
        meeting=meeting,
        recipients=[
            Recipient(
                name=r.name, email=r.email, language="en", organisation=r.organisation
            )
            for r in reps
        ],
    )
    return {i.email: i for i in Invitation.objects.filter(meeting=meeting)}


def _sent_to():
    return Counter(message.to[0] for message in mail.outbox)


def test_a_temporary_refusal_is_retried_after_the_back_off_and_then_sent_once(
    worker_settings, organiser, meeting
):
    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.BusyBackend"}
    }
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _invite(organiser, meeting, "later@busy.example", "now@example.org")
        _worker()
        assert _sent_to() == {"now@example.org": 1}
        waiting = Invitation.objects.get(email="later@busy.example")
        assert waiting.status == "queued" and waiting.pending_message == "invitation"
        assert waiting.failure_reason.startswith("451 ")
        assert waiting.send_attempts == 1
        assert waiting.next_attempt_at == timezone.now() + timedelta(seconds=60)
        assert not waiting.links.exists()  # the refused message's link is gone
        scheduled = DBTaskResult.objects.filter(status="READY").get()
        assert scheduled.run_after == waiting.next_attempt_at

        _worker()  # too early: nothing is tried
        assert BusyBackend.attempts.count("later@busy.example") == 1

        traveller.shift(timedelta(seconds=61))
        _worker()  # still busy: the second delay is longer
        waiting.refresh_from_db()
        assert waiting.send_attempts == 2
        assert waiting.next_attempt_at == timezone.now() + timedelta(seconds=120)

        BusyBackend.busy = False
        traveller.shift(timedelta(seconds=121))
        _worker()
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.failure_reason == ""
    assert waiting.pending_message == "" and waiting.send_attempts == 3
    assert _sent_to() == {"now@example.org": 1, "later@busy.example": 1}
    assert waiting.links.count() == 1


def test_a_temporary_refusal_fails_for_good_after_the_last_attempt(
    worker_settings, organiser, meeting
):
    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.BusyBackend"}
    }
    worker_settings.MEETINGS_SEND_RETRY_DELAYS = (60,)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _invite(organiser, meeting, "never@busy.example")
        _worker()
        traveller.shift(timedelta(seconds=61))
        _worker()
        traveller.shift(timedelta(hours=1))
        sends_recover()
        _worker()
    invitation = Invitation.objects.get()
    assert invitation.status == "failed" and invitation.pending_message == ""
    assert invitation.failure_reason.startswith("451 ")
    assert BusyBackend.attempts == ["never@busy.example"] * 2
    assert mail.outbox == []


def test_a_permanent_refusal_is_marked_failed_at_once_and_not_retried(
    worker_settings, organiser, meeting
):
    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.RefusingBackend"}
    }
    _invite(organiser, meeting, "nobody@refused.example")
    _worker()
    invitation = Invitation.objects.get()
    assert invitation.status == "failed" and invitation.pending_message == ""
    assert invitation.failure_reason.startswith("550 ")
    assert invitation.next_attempt_at is None and invitation.send_attempts == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert sends_recover()["requeued"] == 0


def test_an_unreachable_server_defers_the_whole_chunk_with_the_reason(
    worker_settings, organiser, meeting
):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    worker_settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }
    _invite(organiser, meeting, "a@example.org", "b@example.org", "c@example.org")
    _worker()
    invitations = Invitation.objects.all()
    assert set(invitations.values_list("status", flat=True)) == {"queued"}
    assert set(invitations.values_list("send_attempts", flat=True)) == {1}
    assert all(
        "ConnectionRefusedError" in reason
        for reason in invitations.values_list("failure_reason", flat=True)
    )
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def _abandon(invitations, *, minutes_ago):
    """What a worker killed while sending leaves: its claim."""
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        claimed_at=timezone.now() - timedelta(minutes=minutes_ago),
        claimed_by="host:1234:killed",
    )


def test_an_abandoned_claim_is_taken_back_and_sent_exactly_once(
    worker_settings, organiser, meeting
):
    invitations = _invite(organiser, meeting, "a@example.org", "b@example.org")
    task = DBTaskResult.objects.get()
    task.claim("killed-worker")  # left RUNNING by the killed worker
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(minutes=6)
    )
    _abandon(invitations.values(), minutes_ago=6)
    _worker()
    assert mail.outbox == []  # nothing READY: the killed worker's task is RUNNING

    call_command("recover_invitation_sends")
    _worker()
    assert _sent_to() == {"a@example.org": 1, "b@example.org": 1}
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Invitation.objects.values_list("claimed_by", flat=True)) == {""}
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path.endswith("AbandonedSend")


def test_a_claim_within_its_lease_is_left_to_its_worker(
    worker_settings, organiser, meeting
):
    invitations = _invite(organiser, meeting, "a@example.org")
    _abandon(invitations.values(), minutes_ago=1)
    counts = sends_recover()
    assert counts["released"] == 0 and counts["requeued"] == 0
    _worker()
    assert mail.outbox == []
    assert Invitation.objects.get().pending_message == "invitation"


def test_the_worker_takes_back_stale_claims_before_each_chunk(
    worker_settings, organiser, meeting
):
    first = _invite(organiser, meeting, "a@example.org")
    _abandon(first.values(), minutes_ago=10)
    DBTaskResult.objects.all().delete()  # the killed worker's task is gone
    _invite(organiser, meeting, "b@example.org")
    _worker()
    assert _sent_to() == {"a@example.org": 1, "b@example.org": 1}


def test_a_recorded_send_is_never_sent_again(worker_settings, organiser, meeting):
    invitations = _invite(organiser, meeting, "a@example.org")
    _worker()
    invitation = invitations["a@example.org"]
    # Every way of handing the invitation over again.
    from meetings.tasks import invitations_deliver

    invitations_deliver.enqueue(invitation_ids=[invitation.pk], message="invitation")
    invitation_requeue_stalled(actor=organiser, meeting=meeting)
    sends_recover(lease=0)
    _worker()
    assert _sent_to() == {"a@example.org": 1}


def test_the_recovery_can_run_again_and_again(worker_settings, organiser, meeting):
    invitations = _invite(organiser, meeting, "a@example.org", "b@example.org")
    DBTaskResult.objects.all().delete()  # owed, but no task will send them
    assert sends_recover()["requeued"] == 2
    for _again in range(3):
        assert sends_recover() == {"released": 0, "requeued": 0, "tasks_closed": 0}
    assert DBTaskResult.objects.count() == 1
    _worker()
    sends_recover()
    _worker()
    assert _sent_to() == {email: 1 for email in invitations}


def test_an_address_that_opts_out_while_waiting_for_a_retry_is_not_emailed(
    worker_settings, organiser, meeting
):
    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.BusyBackend"}
    }
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _invite(organiser, meeting, "gone@busy.example")
        _worker()
        DoNotContact.objects.create(email="gone@busy.example")
        BusyBackend.busy = False
        traveller.shift(timedelta(seconds=61))
        _worker()
    invitation = Invitation.objects.get()
    assert invitation.status == "failed" and invitation.pending_message == ""
    assert "not to be contacted" in invitation.failure_reason
    assert mail.outbox == []


def test_the_message_id_is_the_same_for_one_owed_message_and_new_for_the_next(
    worker_settings, organiser, meeting
):
    invitations = _invite(organiser, meeting, "a@example.org")
    _worker()
    invitation = Invitation.objects.get(pk=invitations["a@example.org"].pk)
    first = mail.outbox[0].extra_headers["Message-ID"]
    assert first == message_id(invitation, "invitation")
    assert first.startswith(f"<invitation-{invitation.pk}.1.invitation@")
    invitation_resend(actor=organiser, invitation=invitation)
    _worker()
    second = mail.outbox[1].extra_headers["Message-ID"]
    assert second.startswith(f"<invitation-{invitation.pk}.2.invitation@")
    invitation.refresh_from_db()
    assert second == message_id(invitation, "invitation")


@pytest.mark.parametrize("ahead", [1, 2])
def test_a_connection_lost_in_the_middle_of_a_chunk_defers_only_what_was_not_sent(
    worker_settings, organiser, meeting, ahead
):
    from tests.meetings.backends import DroppingBackend

    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.DroppingBackend"}
    }
    worker_settings.MEETINGS_SEND_AHEAD = ahead
    DroppingBackend.accept = 2
    emails = [f"n{number}@example.org" for number in range(6)]
    _invite(organiser, meeting, *emails)
    _worker()
    sent = set(_sent_to())
    assert len(sent) == 2 and all(count == 1 for count in _sent_to().values())
    for invitation in Invitation.objects.all():
        if invitation.email in sent:
            assert invitation.status == "sent" and invitation.pending_message == ""
        else:
            assert invitation.status == "queued"
            assert invitation.pending_message == "invitation"
            assert "SMTPServerDisconnected" in invitation.failure_reason
            assert invitation.send_attempts == 1 and invitation.claimed_by == ""
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    DroppingBackend.accept = 100  # the server is back
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        _worker()
    assert _sent_to() == {email: 1 for email in emails}


def test_a_worker_stopped_at_once_records_what_the_server_accepted(
    worker_settings, organiser, meeting
):
    """A second Ctrl+C or SIGTERM stops the worker in the middle of a chunk:
    the message the server was accepting is recorded as sent on the way
    out, the rest stay owed, and the recovery sends each of them once."""
    from meetings.services.sending import deliver_chunk
    from tests.meetings.backends import StoppingBackend

    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.StoppingBackend"}
    }
    StoppingBackend.count, StoppingBackend.stop_at = 0, 3
    emails = [f"n{number}@example.org" for number in range(6)]
    invitations = _invite(organiser, meeting, *emails)
    # Python's own handler: the worker's (left by an earlier db_worker run)
    # would exit differently, to the same effect.
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            deliver_chunk(
                invitation_ids=[i.pk for i in invitations.values()],
                message="invitation",
            )
    finally:
        signal.signal(signal.SIGINT, handler)
    # The third, and perhaps the one handed over behind it, went out.
    assert len(mail.outbox) in (3, 4)
    sent = set(_sent_to())
    states = sorted(
        Invitation.objects.values_list("email", "status", "pending_message")
    )
    for email, status, pending in states:
        if email in sent:
            assert (status, pending) == ("sent", ""), (email, sorted(sent), states)
        else:
            assert pending == "invitation", (email, sorted(sent), states)

    StoppingBackend.stop_at = 0
    sends_recover(lease=0)
    _worker()
    assert _sent_to() == {email: 1 for email in emails}


def test_a_long_chunk_keeps_its_claims_and_checks_the_do_not_contact_list_again(
    worker_settings, organiser, meeting
):
    """A chunk that takes longer than a quarter of the lease renews its
    claims, and with them checks the do-not-contact list again: an address
    that opted out meanwhile is left out."""
    from tests.meetings.backends import SlowBackend

    worker_settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.SlowBackend"}
    }
    worker_settings.MEETINGS_SEND_LEASE_SECONDS = 4  # renewed every second
    emails = [f"n{number}@example.org" for number in range(6)]
    SlowBackend.count, SlowBackend.seconds = 0, 0.3
    SlowBackend.opt_out_at, SlowBackend.opt_out = 1, emails[-1]
    _invite(organiser, meeting, *emails)
    _worker()
    assert _sent_to() == {email: 1 for email in emails[:-1]}
    gone = Invitation.objects.get(email=emails[-1])
    assert gone.status == "failed" and "not to be contacted" in gone.failure_reason
    assert not gone.links.exists()
    assert set(Invitation.objects.values_list("claimed_by", flat=True)) == {""}
