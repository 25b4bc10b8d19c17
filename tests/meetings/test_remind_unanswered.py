"""Remind everyone who has not answered: the organiser sees who and in which
language first, then one action sends each a reminder in their language;
never to anyone who answered or opted out."""

import pytest
from django.core import mail
from django.urls import reverse

from chapters.models import AuditEntry
from meetings.models import Invitation
from members.models import DoNotContact
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def _url(meeting):
    return reverse("meetings:remind_unanswered", args=["jo", meeting.pk])


@pytest.fixture
def invitees(meeting):
    return {
        "sent": InvitationFactory(meeting=meeting, status="sent", language="en"),
        "opened": InvitationFactory(meeting=meeting, status="opened", language="ar"),
        "accepted": InvitationFactory(meeting=meeting, status="accepted"),
        "declined": InvitationFactory(meeting=meeting, status="declined"),
        "opted_out": InvitationFactory(meeting=meeting, status="sent"),
    }


def test_the_preview_lists_who_gets_a_reminder_and_in_which_language(
    organiser_client, meeting, invitees
):
    DoNotContact.objects.create(email=invitees["opted_out"].email)
    meeting.status = "open"
    meeting.save()
    detail = organiser_client.get(reverse("meetings:detail", args=["jo", meeting.pk]))
    assert _url(meeting) in detail.content.decode()
    page = organiser_client.get(_url(meeting)).content.decode()
    assert invitees["sent"].name in page and invitees["opened"].name in page
    for left_out in ("accepted", "declined", "opted_out"):
        assert invitees[left_out].name not in page
    assert "English" in page
    assert not mail.outbox  # looking sends nothing


def test_sending_reminds_each_unanswered_invitee_once_in_their_language(
    organiser_client, meeting, invitees, django_capture_on_commit_callbacks
):
    DoNotContact.objects.create(email=invitees["opted_out"].email)
    meeting.status = "open"
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(_url(meeting))
    assert response.status_code == 302
    reached = sorted(message.to[0] for message in mail.outbox)
    assert reached == sorted([invitees["sent"].email, invitees["opened"].email])
    english = next(m for m in mail.outbox if m.to[0] == invitees["sent"].email)
    assert english.subject.startswith("Reminder:")
    assert AuditEntry.objects.filter(action="invitation.remind").count() == 2
    for key in ("accepted", "declined"):
        invitees[key].refresh_from_db()
        assert invitees[key].status == Invitation.Status[key.upper()]


def test_a_meeting_held_gets_no_reminders(
    organiser_client, meeting, invitees, django_capture_on_commit_callbacks
):
    meeting.status = "held"
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(_url(meeting))
    assert not mail.outbox
    assert not AuditEntry.objects.filter(action="invitation.remind").exists()
