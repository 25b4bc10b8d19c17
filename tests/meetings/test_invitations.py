"""Invitations: queued by the organiser's request, sent by the worker in
each representative's language with a personal link and a calendar file,
never twice, never to a do-not-contact address."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from chapters.models import AuditEntry
from meetings.models import Invitation, InvitationLink, Meeting
from meetings.services.errors import MeetingError
from meetings.services.invitations import (
    invitation_mark_bounced,
    invitation_remind,
    invitation_resend,
    invitation_retry_failed,
    reminders_queue,
)
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.tasks import invitations_deliver
from members.models import DoNotContact
from tests.factories import InvitationFactory, RepresentativeFactory
from tests.meetings.builders import invite

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+/(ar|en)/invitation/([A-Za-z0-9_\-]+)/")


def _invite(organiser, meeting, reps, capture):
    return invite(organiser, meeting, reps, capture)


def test_organiser_picks_previews_and_sends_from_the_outreach_list(
    organiser_client, meeting, outreach, django_capture_on_commit_callbacks
):
    url = f"/en/manage/jo/meetings/{meeting.pk}/invite/"
    page = organiser_client.get(url).content.decode()
    for rep in outreach:
        assert rep.email in page
    chosen = [str(rep.pk) for rep in outreach[:2]]
    preview = organiser_client.post(
        url,
        {
            "representatives": chosen,
            "extra_name": "Walid",
            "extra_email": "walid@example.org",
            "extra_language": "en",
        },
    )
    body = preview.content.decode()
    assert "Send the invitations" in body
    assert "walid@example.org" in body
    assert "You are invited to" in body  # the English preview
    assert mail.outbox == []  # a preview sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            url,
            {
                "step": "send",
                "representatives": chosen,
                "extra_name": "Walid",
                "extra_email": "walid@example.org",
                "extra_language": "en",
            },
        )
    assert response.status_code == 302
    assert "/batches/" in response.url
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [outreach[0].email, outreach[1].email, "walid@example.org"]
    )
    assert set(meeting.invitations.values_list("status", flat=True)) == {"sent"}
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN


def test_the_invite_page_needs_a_choice(organiser_client, meeting, outreach):
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/invite/", {"step": "send"}
    )
    assert (
        "Pick at least one organisation or add a person." in response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_each_representative_gets_the_email_in_their_own_language(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message for message in mail.outbox}
    arabic = by_address[outreach[0].email]
    english = by_address[outreach[2].email]
    assert "دعوة" in arabic.subject
    assert str(meeting.title_ar) in arabic.subject
    assert "/ar/invitation/" in arabic.body
    assert english.subject.startswith("Invitation:")
    assert str(meeting.title_en) in english.subject
    assert "/en/invitation/" in english.body
    html, mimetype = arabic.alternatives[0]
    assert mimetype == "text/html" and 'dir="rtl"' in html


def test_the_email_has_reply_to_unsubscribe_agenda_and_a_calendar_file(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    meeting.agenda_items.create(order=1, title_en="Welcome and introductions")
    _invite(organiser, meeting, outreach[2:], django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert "no-reply@" in message.from_email
    assert message.reply_to == [organiser.email]
    assert "/opt-out/" in message.extra_headers["List-Unsubscribe"]
    assert "/opt-out/" in message.body
    assert "Welcome and introductions" in message.body
    filename, _content, mimetype = message.attachments[0]
    assert filename == "meeting.ics"
    assert mimetype.startswith("text/calendar")


def test_times_in_the_email_and_calendar_file_are_in_the_chapters_zone(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    meeting.starts_at = timezone.now().replace(
        hour=7, minute=0, second=0, microsecond=0
    ) + timedelta(days=5)  # 07:00 UTC is 10:00 in Amman (UTC+3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.save()
    _invite(organiser, meeting, outreach[2:], django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    # Plain text: the hours isolated, so they never read 12:00–10:00 in Arabic.
    assert "\u206610:00–12:00\u2069 Amman time (\u2066UTC+3\u2069)" in message.body
    ics = message.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    local_day = meeting.starts_at.strftime("%Y%m%d")
    assert f"DTSTART;TZID=Asia/Amman:{local_day}T100000" in ics
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Asia/Amman" in ics
    assert "TZOFFSETTO:+0300" in ics
    assert f"UID:meeting-{meeting.pk}@" in ics


def test_calling_the_task_twice_sends_one_email(organiser, meeting, outreach):
    invitation = InvitationFactory(
        meeting=meeting, status="queued", pending_message="invitation"
    )
    invitations_deliver.call(invitation_ids=[invitation.pk], message="invitation")
    invitations_deliver.call(invitation_ids=[invitation.pk], message="invitation")
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.pending_message == ""
    assert invitation.links.count() == 1


def test_inviting_the_same_address_again_is_reported_not_sent(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    result = _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    assert result.batch is None
    assert len(result.already_invited) == 3
    assert len(mail.outbox) == 3


def test_do_not_contact_addresses_are_never_emailed(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    DoNotContact.objects.create(email=outreach[0].email)
    result = _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    assert result.do_not_contact == [outreach[0].email]
    assert outreach[0].email not in [m.to[0] for m in mail.outbox]
    # An address that opts out after being queued is skipped by the worker.
    invitation = InvitationFactory(
        meeting=meeting, status="queued", pending_message="invitation"
    )
    DoNotContact.objects.create(email=invitation.email)
    invitations_deliver.call(invitation_ids=[invitation.pk], message="invitation")
    invitation.refresh_from_db()
    assert invitation.status == "failed"
    assert invitation.email not in [m.to[0] for m in mail.outbox]


def test_smtp_refusal_marks_failed_with_the_reason_and_retry_sends(
    settings, organiser, meeting, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.meetings.backends.RefusingBackend"}
    }
    rep = RepresentativeFactory(email="nobody@refused.example", language="en")
    good = RepresentativeFactory(language="ar")
    _invite(organiser, meeting, [rep, good], django_capture_on_commit_callbacks)
    failed = Invitation.objects.get(email="nobody@refused.example")
    assert failed.status == "failed"
    assert "550" in failed.failure_reason and "Mailbox" in failed.failure_reason
    assert not failed.links.exists()  # the unsent link does not work
    assert Invitation.objects.get(email=good.email).status == "sent"
    assert len(mail.outbox) == 1
    Invitation.objects.filter(pk=failed.pk).update(email="fixed@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_retry_failed(actor=organiser, meeting=meeting) == 1
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.failure_reason == ""
    assert len(mail.outbox) == 2


def test_the_failed_reason_shows_on_the_meeting_page(organiser_client, meeting):
    InvitationFactory(
        meeting=meeting, status="failed", failure_reason="550 no such user"
    )
    page = organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/").content
    assert b"550 no such user" in page
    assert b"Retry the failed invitations" in page


def test_retrying_one_failed_invitation_says_one_message_in_both_languages(
    organiser_client, meeting
):
    url = f"/{{}}/manage/jo/meetings/{meeting.pk}/invitations/"
    for language, expected in (
        ("en", "1 message was handed to the sender again."),
        ("ar", "أُعيد تسليم رسالة واحدة إلى خدمة الإرسال."),
    ):
        InvitationFactory(
            meeting=meeting, status="failed", failure_reason="550 no such user"
        )
        response = organiser_client.post(
            url.format(language), {"action": "retry_failed"}, follow=True
        )
        assert expected in response.content.decode()


def test_resend_makes_a_new_working_link_and_keeps_the_old_one(
    organiser, meeting, outreach, django_capture_on_commit_callbacks, client
):
    _invite(organiser, meeting, outreach[:1], django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(actor=organiser, invitation=invitation)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        path = LINK.search(message.body).group(0).split("//", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200


def test_an_answered_invitation_cannot_be_resent(organiser, meeting):
    invitation = InvitationFactory(meeting=meeting, status="accepted")
    with pytest.raises(MeetingError):
        invitation_resend(actor=organiser, invitation=invitation)


def test_the_organiser_request_only_queues_work(
    settings, organiser_client, meeting, outreach
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    from django_tasks_db.models import DBTaskResult

    with pytest.MonkeyPatch.context():
        pass
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/invite/",
        {"step": "send", "representatives": [str(r.pk) for r in outreach]},
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert set(meeting.invitations.values_list("status", flat=True)) == {"queued"}
    # Work is handed over on commit; the test transaction never commits here.
    assert DBTaskResult.objects.count() == 0


def test_the_progress_page_reports_counts_as_json(
    organiser_client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    result = _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    base = f"/en/manage/jo/meetings/{meeting.pk}/batches/{result.batch.pk}/"
    data = organiser_client.get(base + "progress/").json()
    assert data == {
        "total": 3,
        "queued": 0,
        "failed": 0,
        "done": 3,
        "sent": 3,
        "finished": True,
    }
    page = organiser_client.get(base).content.decode()
    assert "<progress" in page and "meetings-progress.js" in page
    assert "<script>" not in page  # no inline script under the CSP


def test_whatsapp_share_opens_wa_me_with_the_message_in_the_invitees_language(
    organiser_client, meeting
):
    invitation = InvitationFactory(meeting=meeting, language="ar", name="سلمى")
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/invitations/{invitation.pk}/",
        {"action": "whatsapp"},
    )
    assert response.status_code == 302
    assert response.url.startswith("https://wa.me/?text=")
    from urllib.parse import parse_qs, urlsplit

    text = parse_qs(urlsplit(response.url).query)["text"][0]
    assert "سلمى" in text and "/ar/invitation/" in text
    assert invitation.links.get().channel == InvitationLink.Channel.WHATSAPP


def test_cancelling_tells_everyone_invited_with_a_cancelled_calendar_entry(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    queued = InvitationFactory(meeting=meeting, status="queued", pending_message="x")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=organiser, meeting=meeting)
    assert len(mail.outbox) == 3
    english = next(m for m in mail.outbox if m.to[0] == outreach[2].email)
    assert english.subject.startswith("Cancelled:")
    ics = english.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics and "SEQUENCE:1" in ics
    queued.refresh_from_db()
    assert queued.status == "failed"  # never sent for a cancelled meeting


def test_moving_the_meeting_tells_invitees_the_new_time(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            actor=organiser,
            meeting=meeting,
            data={
                "starts_at": meeting.starts_at + timedelta(days=1),
                "ends_at": meeting.ends_at + timedelta(days=1),
            },
        )
    assert len(mail.outbox) == 3
    english = next(m for m in mail.outbox if m.to[0] == outreach[2].email)
    assert english.subject.startswith("New date:")
    assert Invitation.objects.filter(notified_sequence=1).count() == 3
    # Changing the title only does not send anything.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=organiser, meeting=meeting, data={"title_en": "Renamed"})
    assert mail.outbox == []


def test_a_bounce_report_marks_the_invitation_bounced(meeting):
    invitation = InvitationFactory(meeting=meeting, status="sent")
    assert (
        invitation_mark_bounced(
            email=invitation.email.upper(), reason="550 5.1.1 user unknown"
        )
        == 1
    )
    invitation.refresh_from_db()
    assert invitation.status == "bounced"
    assert AuditEntry.objects.filter(action="invitation.bounced").exists()


def test_the_opt_out_link_in_the_email_adds_the_address_to_do_not_contact(
    organiser, meeting, outreach, django_capture_on_commit_callbacks, client
):
    _invite(organiser, meeting, outreach[:1], django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    url = re.search(r"http://[^/\s]+(/ar/opt-out/[^/\s]+/)", message.body).group(1)
    assert url in message.extra_headers["List-Unsubscribe"]
    client.post(url)  # RFC 8058 one-click: a POST without a form
    assert DoNotContact.objects.filter(email=outreach[0].email).exists()
    # Nothing more is sent to the address, even what was owed.
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(actor=organiser, invitation=invitation)
    assert len(mail.outbox) == 1


# Reminders -----------------------------------------------------------------


def test_automatic_reminder_goes_only_to_those_who_have_not_answered(
    meeting, django_capture_on_commit_callbacks
):
    meeting.reminder_days = 3
    meeting.save()
    waiting = InvitationFactory(meeting=meeting, status="sent", language="en")
    opened = InvitationFactory(meeting=meeting, status="opened")
    accepted = InvitationFactory(meeting=meeting, status="accepted")
    declined = InvitationFactory(meeting=meeting, status="declined")
    failed = InvitationFactory(meeting=meeting, status="failed")
    opted_out = InvitationFactory(meeting=meeting, status="sent")
    DoNotContact.objects.create(email=opted_out.email)

    too_early = meeting.starts_at - timedelta(days=4)
    with (
        time_machine.travel(too_early, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_queue() == 0
    on_the_day = meeting.starts_at - timedelta(days=3, hours=-1)
    with time_machine.travel(on_the_day, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_queue() == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_queue() == 0  # never twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([waiting.email, opened.email])
    english = next(m for m in mail.outbox if m.to[0] == waiting.email)
    assert english.subject.startswith("Reminder:")
    for invitation in (accepted, declined, failed, opted_out):
        invitation.refresh_from_db()
        assert invitation.reminded_at is None


def test_no_automatic_reminder_when_turned_off_or_the_meeting_is_cancelled(
    meeting, django_capture_on_commit_callbacks
):
    InvitationFactory(meeting=meeting, status="sent")
    meeting.reminder_days = 0
    meeting.save()
    with time_machine.travel(meeting.starts_at - timedelta(hours=2), tick=False):
        assert reminders_queue() == 0
        Meeting.objects.filter(pk=meeting.pk).update(
            reminder_days=3, status="cancelled"
        )
        assert reminders_queue() == 0


def test_the_reminder_command_runs_the_automatic_reminder(
    meeting, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    InvitationFactory(meeting=meeting, status="sent")
    with (
        time_machine.travel(meeting.starts_at - timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_meeting_reminders")
    assert len(mail.outbox) == 1


def test_a_manual_reminder_is_refused_after_an_answer(organiser, meeting):
    invitation = InvitationFactory(meeting=meeting, status="declined")
    with pytest.raises(MeetingError):
        invitation_remind(actor=organiser, invitation=invitation)


def test_a_manual_reminder_is_sent_once(
    organiser_client, meeting, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(meeting=meeting, status="sent")
    url = f"/en/manage/jo/meetings/{meeting.pk}/invitations/{invitation.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url, {"action": "remind"})
    invitations_deliver.call(invitation_ids=[invitation.pk], message="reminder")
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None


def test_invitation_actions_of_another_chapter_are_404(client, meeting):
    from tests.factories import ChapterFactory, OrganiserFactory

    invitation = InvitationFactory(meeting=meeting, status="sent")
    client.force_login(OrganiserFactory(chapter=ChapterFactory(country="EG")).user)
    response = client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/invitations/{invitation.pk}/",
        {"action": "whatsapp"},
    )
    assert response.status_code == 404
    assert not invitation.links.exists()


def test_everyone_on_the_outreach_list_can_be_invited_in_one_go(
    organiser_client, meeting, outreach, django_capture_on_commit_callbacks
):
    InvitationFactory(meeting=meeting, email=outreach[0].email, status="sent")
    url = f"/en/manage/jo/meetings/{meeting.pk}/invite/"
    preview = organiser_client.post(url, {"everyone": "on"}).content.decode()
    assert 'name="everyone" value="on"' in preview
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url, {"step": "send", "everyone": "on"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [outreach[1].email, outreach[2].email]
    )


def test_the_preview_shows_the_invitation_in_each_of_the_chapters_languages(
    organiser_client, meeting, chapter, outreach
):
    chapter.languages = ["ar", "fr"]
    chapter.save()
    response = organiser_client.post(
        f"/en/manage/jo/meetings/{meeting.pk}/invite/",
        {"representatives": [str(outreach[0].pk)]},
    )
    previews = response.context["previews"]
    assert [preview["code"] for preview in previews] == ["ar", "fr"]
    french = previews[1]["body"]
    assert "Nom de la personne représentante" in french
    assert "Name of the representative" not in previews[0]["body"]
