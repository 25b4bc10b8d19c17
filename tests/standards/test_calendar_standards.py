"""Every calendar file the portal gives an invitee (the invitation's
PUBLISH, the moved and relocated notices, the cancellation's CANCEL, and
the download on the invitee's page) read by vobject, a second parser
independent of icalendar that builds them, and checked against what
RFC 5545 and RFC 5546 ask of a PUBLISH and a CANCEL event."""

import email
import email.policy
import re
from datetime import timedelta

import pytest
import vobject
from django.core import mail

from meetings.services.meetings import meeting_cancel, meeting_update
from tests.meetings.builders import invite

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/(?:ar|en)/invitation/[A-Za-z0-9_\-]+/)")


def mailed_calendar(message) -> tuple[bytes, str]:
    """The .ics bytes as they go over SMTP (CRLF lines, as RFC 5545 and
    MIME text both write them), and the method of its MIME type."""
    parsed = email.message_from_bytes(
        message.message(policy=email.policy.SMTP).as_bytes(),
        policy=email.policy.strict,
    )
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return part.get_payload(decode=True), part.get_param("method")


def check_calendar(ics: bytes, *, method: str, chapter_name: str, contact: str):
    """One VEVENT with everything RFC 5546 requires for `method`."""
    calendar = vobject.readOne(ics.decode())
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value
    assert calendar.method.value == method
    (event,) = calendar.vevent_list
    assert event.uid.value
    assert event.dtstamp.value.utcoffset() == timedelta(0)
    zone = calendar.vtimezone.tzid.value
    assert re.search(rf"^DTSTART;TZID={re.escape(zone)}:", ics.decode(), re.M)
    assert event.dtstart.value.tzinfo is not None
    assert int(event.sequence.value) >= 0
    assert event.organizer.value == f"mailto:{contact}"
    assert event.organizer.params["CN"] == [chapter_name]
    assert event.summary.value
    if method == "CANCEL":
        assert event.status.value == "CANCELLED"
    return event


def test_every_calendar_file_conforms_and_the_download_is_the_mailed_file(
    client, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    chapter = meeting.chapter
    chapter.contact_email = "chapter@example.org"
    chapter.save()
    arabic, english = outreach[0], outreach[2]
    invite(organiser, meeting, [arabic, english], django_capture_on_commit_callbacks)
    pages = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}
    names = {"ar": chapter.name_ar or chapter.name_en, "en": chapter.name_en}
    steps = [
        ("invitation", lambda: None),
        (
            "moved",
            lambda: meeting_update(
                actor=organiser,
                meeting=meeting,
                data={
                    "starts_at": meeting.starts_at + timedelta(days=1),
                    "ends_at": meeting.ends_at + timedelta(days=1),
                },
            ),
        ),
        (
            "relocated",
            lambda: meeting_update(
                actor=organiser, meeting=meeting, data={"venue_address": "Hall B"}
            ),
        ),
        (
            "cancelled",
            lambda: meeting_cancel(actor=organiser, meeting=meeting),
        ),
    ]
    previous = {}
    for kind, action in steps:
        if kind != "invitation":
            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                action()
        assert {m.to[0] for m in mail.outbox} == set(pages), kind
        for message in mail.outbox:
            to = message.to[0]
            language = "ar" if to == arabic.email else "en"
            ics, mime_method = mailed_calendar(message)
            method = "CANCEL" if kind == "cancelled" else "PUBLISH"
            assert mime_method == method, kind
            event = check_calendar(
                ics,
                method=method,
                chapter_name=names[language],
                contact="chapter@example.org",
            )
            if to in previous:
                uid, sequence = previous[to]
                assert event.uid.value == uid, kind
                assert int(event.sequence.value) > sequence, kind
            previous[to] = (event.uid.value, int(event.sequence.value))
            # Each notice carries a new personal link (none once cancelled).
            if found := LINK.search(message.body):
                pages[to] = found.group(1)
            downloaded = client.get(f"{pages[to]}calendar.ics").content
            assert downloaded == ics, kind


def test_a_chapter_without_contact_address_organises_as_the_portal_sender(
    settings, organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "CLD chapters <no-reply@portal.example>"
    meeting.chapter.contact_email = ""
    meeting.chapter.save()
    invite(organiser, meeting, [outreach[2]], django_capture_on_commit_callbacks)
    ics, _method = mailed_calendar(mail.outbox[0])
    check_calendar(
        ics,
        method="PUBLISH",
        chapter_name=meeting.chapter.name_en,
        contact="no-reply@portal.example",
    )
