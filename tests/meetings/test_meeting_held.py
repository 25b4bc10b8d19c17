"""A meeting already held is recorded afterwards without sending anything,
and a change of time asks whether to tell the invitees, never for a meeting
that was held."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from chapters.models import AuditEntry
from meetings.models import Attendance, Decision, Idea, Invitation, Meeting, Minutes
from meetings.services.errors import MeetingError
from meetings.services.meetings import meeting_mark_held, meeting_update
from tests.meetings.builders import invite, meeting_form

pytestmark = pytest.mark.django_db

AMMAN = ZoneInfo("Asia/Amman")


def _local(moment) -> str:
    return timezone.localtime(moment, AMMAN).strftime("%Y-%m-%dT%H:%M")


def _form(starts, **overrides):
    return meeting_form(starts, **overrides)


def _edit_form(meeting, **overrides):
    data = _form(
        meeting.starts_at,
        ends_at=_local(meeting.ends_at),
        title_en=meeting.title_en,
        title_ar=meeting.title_ar,
    )
    data.update(overrides)
    return data


def test_an_organiser_records_a_past_meeting_start_to_finish_and_nothing_is_sent(
    organiser_client, chapter, outreach, django_capture_on_commit_callbacks
):
    """The minutes go by e-mail to attendees with an address, which only
    invitations carry; a meeting recorded afterwards has none, so its whole
    record, minutes included, sends nothing."""
    held_on = timezone.now() - timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        created = organiser_client.post(
            "/en/manage/jo/meetings/new/", _form(held_on, already_held="on")
        )
        assert created.status_code == 302
        meeting = Meeting.objects.get()
        assert meeting.status == Meeting.Status.HELD
        assert meeting.agenda_items.count() == 7
        base = f"/en/manage/jo/meetings/{meeting.pk}/"
        page = organiser_client.get(created.url).content.decode()
        assert f"{base}invite/" not in page  # nobody is invited to it
        for name, representative in zip(
            ["Lina Haddad", "Omar Said"], outreach[:2], strict=True
        ):
            organiser_client.post(
                f"{base}checkin/",
                {
                    "action": "walk_in",
                    "name": name,
                    "organisation_name": str(representative.organisation),
                },
            )
        item = meeting.agenda_items.order_by("order").first()
        note = organiser_client.post(
            f"{base}notes/{item.pk}/",
            {"language": "en", "text": "Everyone introduced themselves.", "version": 0},
        )
        assert note.status_code == 302
        idea = organiser_client.post(
            f"{base}ideas/",
            {
                "kind": "joint_work:advocacy",
                "text": "A joint letter to the municipality",
                "organisation_name": str(outreach[0].organisation),
            },
        )
        assert idea.status_code == 302
        decision = organiser_client.post(
            f"{base}decisions/", {"text_en": "Draft the terms of reference"}
        )
        assert decision.status_code == 302
        published = organiser_client.post(f"{base}minutes/", {"action": "publish"})
        assert published.status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert meeting.agenda_items.get(pk=item.pk).note.text_en
    assert Idea.objects.approved().filter(meeting=meeting).count() == 1
    assert Decision.objects.filter(meeting=meeting).count() == 1
    assert Minutes.objects.get(meeting=meeting).is_published
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    minutes = organiser_client.get(f"{base}minutes/").content.decode()
    assert str(outreach[1].organisation) in minutes
    assert "Draft the terms of reference" in minutes
    created_entry = AuditEntry.objects.get(action="meeting.create")
    assert created_entry.after["status"] == "held"


def test_a_past_date_without_saying_the_meeting_took_place_is_refused(
    organiser_client,
):
    response = organiser_client.post(
        "/en/manage/jo/meetings/new/", _form(timezone.now() - timedelta(days=3))
    )
    page = response.content.decode()
    assert "The meeting cannot start in the past." in page
    assert "This meeting already took place" in page
    assert not Meeting.objects.exists()


def test_a_meeting_that_already_took_place_cannot_start_in_the_future(
    organiser_client,
):
    response = organiser_client.post(
        "/en/manage/jo/meetings/new/",
        _form(timezone.now() + timedelta(days=3), already_held="on"),
    )
    assert "cannot start in the future" in response.content.decode()
    assert not Meeting.objects.exists()


def _invite(organiser, meeting, outreach, capture):
    invite(organiser, meeting, outreach, capture)
    mail.outbox.clear()


def test_the_edit_form_asks_to_tell_the_invitees_ticked_by_default(
    organiser_client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    url = f"/en/manage/jo/meetings/{meeting.pk}/edit/"
    assert 'name="notify_invitees"' not in organiser_client.get(url).content.decode()
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    page = organiser_client.get(url).content.decode()
    assert "Tell the invitees" in page
    box = re.search(r"<input[^>]*name=\"notify_invitees\"[^>]*>", page).group()
    assert "checked" in box
    later = meeting.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            url,
            _edit_form(
                meeting,
                starts_at=_local(later),
                ends_at=_local(later + timedelta(hours=3)),
                notify_invitees="on",
            ),
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert all(m.subject.startswith(("New date:", "موعد جديد:")) for m in mail.outbox)
    english = next(m for m in mail.outbox if m.to[0] == outreach[2].email)
    assert english.subject.startswith("New date:")


def test_a_change_of_place_alone_asks_too_and_sends_the_new_place(
    organiser_client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    # Times as the form gives them, to the minute, so that only the place
    # changes.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at.replace(second=0, microsecond=0),
        ends_at=meeting.ends_at.replace(second=0, microsecond=0),
    )
    meeting.refresh_from_db()
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"/en/manage/jo/meetings/{meeting.pk}/edit/",
            _edit_form(
                meeting,
                venue_address="The Irbid community hall, second floor",
                notify_invitees="on",
            ),
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert all(m.subject.startswith(("New place:", "مكان جديد:")) for m in mail.outbox)
    english = next(m for m in mail.outbox if m.to[0] == outreach[2].email)
    assert english.subject.startswith("New place:")
    assert "has a new place" in english.body
    assert "The Irbid community hall, second floor" in english.body
    name, ics, _mimetype = english.attachments[0]
    ics = ics if isinstance(ics, str) else ics.decode()
    assert name == "meeting.ics"
    assert "SEQUENCE:1" in ics and "Irbid community hall" in ics
    starts = meeting.starts_at
    meeting.refresh_from_db()
    assert meeting.starts_at == starts and meeting.sequence == 1


def test_moving_a_meeting_without_telling_the_invitees_sends_nothing(
    organiser_client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    later = meeting.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"/en/manage/jo/meetings/{meeting.pk}/edit/",
            _edit_form(
                meeting,
                starts_at=_local(later),
                ends_at=_local(later + timedelta(hours=3)),
            ),
        )
    assert response.status_code == 302
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.starts_at == later.replace(second=0, microsecond=0)
    # Calendar programs still replace the event when the file is fetched again.
    assert meeting.sequence == 1
    assert not Invitation.objects.exclude(pending_message="").exists()


def test_a_meeting_that_was_held_is_corrected_without_notifying_anyone(
    organiser_client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    earlier = timezone.now() - timedelta(days=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=earlier, ends_at=earlier + timedelta(hours=3)
    )
    meeting_mark_held(actor=organiser, meeting=meeting)
    meeting.refresh_from_db()
    url = f"/en/manage/jo/meetings/{meeting.pk}/edit/"
    page = organiser_client.get(url).content.decode()
    assert 'name="notify_invitees"' not in page
    assert "nobody is notified" in page
    corrected = earlier - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            url,
            _edit_form(
                meeting,
                starts_at=_local(corrected),
                ends_at=_local(corrected + timedelta(hours=2)),
                venue_address="The other hall",
                notify_invitees="on",  # not offered; ignored if sent anyway
            ),
        )
        assert response.status_code == 302
        # Not even a service call that asks to notify does.
        meeting_update(
            actor=organiser,
            meeting=meeting,
            data={"starts_at": corrected - timedelta(hours=1)},
            notify_invitees=True,
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.venue_address == "The other hall"
    assert mail.outbox == []
    assert not Invitation.objects.exclude(pending_message="").exists()


def test_a_meeting_that_was_held_cannot_be_moved_to_the_future(organiser, held_meeting):
    with pytest.raises(MeetingError):
        meeting_update(
            actor=organiser,
            meeting=held_meeting,
            data={
                "starts_at": timezone.now() + timedelta(days=1),
                "ends_at": timezone.now() + timedelta(days=1, hours=2),
            },
        )
    held_meeting.refresh_from_db()
    assert held_meeting.starts_at < timezone.now()
