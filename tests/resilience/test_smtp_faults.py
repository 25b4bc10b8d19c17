"""A batch of invitations while the SMTP server refuses for a while, then
cannot be reached, then recovers: nobody presses anything. Each temporary
failure keeps the invitation queued with the server's reason and a next
attempt after a growing delay; once the server is back every invitation is
sent, each exactly once (counted by recipient and by Message-ID at the
server). The sink is a real SMTP server and the worker the real database
worker; time is moved past each back-off."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Invitation, InvitationLink
from tests.factories import ProspectFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _smtp_settings(settings, port):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    settings.MEETINGS_SEND_CHUNK = 3
    settings.MEETINGS_SEND_RETRY_DELAYS = (60, 120, 240)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def _worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def _invite_everyone(client, organiser, meeting, path, count):
    for number in range(count):
        representative = RepresentativeFactory(
            email=f"partner{number}@example.org",
            language="ar" if number % 2 else "en",
            chapter=meeting.chapter,
        )
        ProspectFactory(
            chapter=meeting.chapter, organisation=representative.organisation
        )
    client.force_login(organiser)
    response = client.post(path + "invite/", {"step": "send", "everyone": "on"})
    assert response.status_code == 302


def test_a_refusing_then_unreachable_smtp_server_is_waited_out_and_nothing_is_sent_twice(
    client, settings, smtp_sink, organiser_of_meeting
):
    organiser, meeting, path = organiser_of_meeting
    _smtp_settings(settings, smtp_sink.port)
    invitations = Invitation.objects.filter(meeting=meeting)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _invite_everyone(client, organiser, meeting, path, 7)

        smtp_sink.refuse = True
        _worker()
        assert set(invitations.values_list("status", flat=True)) == {"queued"}
        assert all(
            reason.startswith("451 ")
            for reason in invitations.values_list("failure_reason", flat=True)
        )
        assert set(invitations.values_list("send_attempts", flat=True)) == {1}
        assert smtp_sink.received == []

        smtp_sink.stop()
        traveller.shift(timedelta(seconds=61))
        _worker()
        assert set(invitations.values_list("status", flat=True)) == {"queued"}
        assert all(
            "Connection" in reason
            for reason in invitations.values_list("failure_reason", flat=True)
        )
        assert set(invitations.values_list("send_attempts", flat=True)) == {2}

        smtp_sink.refuse = False
        smtp_sink.start()
        traveller.shift(timedelta(seconds=121))
        _worker()
        assert set(invitations.values_list("status", flat=True)) == {"sent"}
        assert set(invitations.values_list("failure_reason", flat=True)) == {""}

        # The recovery and the organiser's buttons send nobody anything more.
        call_command("recover_invitation_sends")
        client.post(path + "invitations/", {"action": "retry_failed"})
        client.post(path + "invitations/", {"action": "requeue"})
        traveller.shift(timedelta(hours=1))
        _worker()
    received = Counter(smtp_sink.received)
    assert sorted(received) == sorted(invitations.values_list("email", flat=True))
    assert set(received.values()) == {1}
    assert len(set(smtp_sink.message_ids)) == len(smtp_sink.message_ids) == 7


def test_the_personal_link_of_a_refused_message_does_not_stay_usable(
    client, settings, smtp_sink, organiser_of_meeting
):
    organiser, meeting, path = organiser_of_meeting
    _smtp_settings(settings, smtp_sink.port)
    _invite_everyone(client, organiser, meeting, path, 2)
    smtp_sink.refuse = True
    _worker()
    assert not InvitationLink.objects.filter(invitation__meeting=meeting).exists()
