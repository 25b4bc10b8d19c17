"""The invitee's page offers the calendar file their e-mail carries, through
the same personal link: same event (UID) and same version (SEQUENCE), so a
calendar program replaces rather than doubles it."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from meetings.services.meetings import meeting_cancel, meeting_update
from tests.meetings.builders import invite

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+(/(?:ar|en)/invitation/[A-Za-z0-9_\-]+/)")


def _invite(organiser, meeting, representative, capture):
    invite(organiser, meeting, [representative], capture)


def _field(ics: str, name: str) -> str:
    return re.search(rf"^{name}:(.*)\r?$", ics, re.MULTILINE).group(1).strip()


def _attachment(message) -> str:
    ics = message.attachments[0][1]
    return ics.decode() if isinstance(ics, bytes) else ics


def test_the_invitee_page_offers_the_calendar_file_of_the_email(
    client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach[2], django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    page_path = LINK.search(message.body).group(1)
    page = client.get(page_path).content.decode()
    calendar_path = f"{page_path}calendar.ics"
    assert f'href="{calendar_path}"' in page

    response = client.get(calendar_path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    downloaded = response.content.decode()
    mailed = _attachment(message)
    for name in ("UID", "SEQUENCE", "DTSTART;TZID=Asia/Amman", "SUMMARY"):
        assert _field(downloaded, name) == _field(mailed, name), name
    assert page_path in downloaded.replace("\r\n ", "")


def test_after_a_move_the_page_and_the_notice_give_the_same_new_version(
    client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach[0], django_capture_on_commit_callbacks)
    page_path = LINK.search(mail.outbox[0].body).group(1)
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
    notice = _attachment(mail.outbox[0])
    downloaded = client.get(f"{page_path}calendar.ics").content.decode()
    assert _field(downloaded, "SEQUENCE") == _field(notice, "SEQUENCE") == "1"
    assert _field(downloaded, "UID") == _field(notice, "UID")


def test_a_cancelled_meetings_file_cancels_the_event(
    client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    _invite(organiser, meeting, outreach[0], django_capture_on_commit_callbacks)
    page_path = LINK.search(mail.outbox[0].body).group(1)
    meeting_cancel(actor=organiser, meeting=meeting)
    downloaded = client.get(f"{page_path}calendar.ics").content.decode()
    assert "METHOD:CANCEL" in downloaded and "STATUS:CANCELLED" in downloaded


def test_an_unknown_token_gets_the_invalid_link_page_not_a_file(client):
    response = client.get("/en/invitation/not-a-real-token/calendar.ics")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("text/calendar")
