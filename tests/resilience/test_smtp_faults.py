"""A batch of invitations while the SMTP server refuses, then cannot be
reached, then recovers: each invitation is marked failed with the server's
reason, none is lost and none is sent twice once the organiser retries.
The sink is a real SMTP server and the worker the real database worker."""

from collections import Counter

import pytest
from django.core.management import call_command

from meetings.models import Invitation
from tests.factories import ProspectFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _smtp_settings(settings, port):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEETINGS_SEND_CHUNK = 3
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
            email=f"partner{number}@example.org", language="ar" if number % 2 else "en"
        )
        ProspectFactory(
            chapter=meeting.chapter, organisation=representative.organisation
        )
    client.force_login(organiser)
    response = client.post(path + "invite/", {"step": "send", "everyone": "on"})
    assert response.status_code == 302


def test_a_refusing_then_unreachable_smtp_server_loses_nothing_and_sends_once(
    client, settings, smtp_sink, organiser_of_meeting
):
    organiser, meeting, path = organiser_of_meeting
    _smtp_settings(settings, smtp_sink.port)
    _invite_everyone(client, organiser, meeting, path, 7)

    smtp_sink.refuse = True
    _worker()
    invitations = Invitation.objects.filter(meeting=meeting)
    assert set(invitations.values_list("status", flat=True)) == {"failed"}
    assert all(
        reason.startswith("451 ")
        for reason in invitations.values_list("failure_reason", flat=True)
    )
    assert smtp_sink.received == []

    smtp_sink.stop()
    client.post(path + "invitations/", {"action": "retry_failed"})
    _worker()
    assert set(invitations.values_list("status", flat=True)) == {"failed"}
    assert all(
        "Connection" in reason
        for reason in invitations.values_list("failure_reason", flat=True)
    )

    smtp_sink.refuse = False
    smtp_sink.start()
    client.post(path + "invitations/", {"action": "retry_failed"})
    _worker()
    assert set(invitations.values_list("status", flat=True)) == {"sent"}
    assert set(invitations.values_list("failure_reason", flat=True)) == {""}

    # Pressing the buttons again sends nobody anything more.
    client.post(path + "invitations/", {"action": "retry_failed"})
    client.post(path + "invitations/", {"action": "requeue"})
    _worker()
    received = Counter(smtp_sink.received)
    assert sorted(received) == sorted(invitations.values_list("email", flat=True))
    assert set(received.values()) == {1}


def test_the_personal_link_of_a_refused_message_does_not_stay_usable(
    client, settings, smtp_sink, organiser_of_meeting
):
    organiser, meeting, path = organiser_of_meeting
    _smtp_settings(settings, smtp_sink.port)
    _invite_everyone(client, organiser, meeting, path, 2)
    smtp_sink.refuse = True
    _worker()
    from meetings.models import InvitationLink

    assert not InvitationLink.objects.filter(invitation__meeting=meeting).exists()
