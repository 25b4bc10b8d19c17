"""E-mail subjects are plain text: never HTML-escaped, with no bidi
embedding, override or isolate from what someone typed, on one line, and
Arabic subjects come back whole (spaces included) from the message's bytes."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.mail import email_message, email_render
from meetings.services.invitations import Recipient, invitation_batch_create
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganiserFactory,
    RepresentativeFactory,
)

NAME = 'The "Dew" <Water> & Co'


def subject_of(message) -> str:
    """The subject as a mail program reads it from the bytes sent."""
    parsed = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    return str(parsed["subject"])


def test_a_subject_shows_quotes_and_angle_brackets_as_typed():
    subject, _text, html = email_render(
        template="members_request",
        context={"chapter_name": NAME, "reminder": False, "days": 30},
        language="en",
    )
    assert subject == f"May we list your organisation as a member of {NAME}?"
    assert "&quot;" not in subject and "&gt;" not in subject
    # The HTML part still escapes what it shows.
    assert "&lt;Water&gt;" in html


def test_bidi_overrides_embeddings_and_isolates_are_taken_out_of_a_subject():
    typed = "\u202eكتب\u202c \u2067abc\u2069 \u202aX\u202b\u202d"
    subject, _text, _html = email_render(
        template="members_request",
        context={"chapter_name": typed, "reminder": True, "days": 30},
        language="ar",
    )
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert control not in subject
    assert "كتب abc X" in subject


def test_a_subject_typed_over_several_lines_is_one_line():
    subject, _text, _html = email_render(
        template="members_request",
        context={
            "chapter_name": "Line one\r\nBcc: x@example.org",
            "reminder": False,
            "days": 30,
        },
        language="en",
    )
    assert "\n" not in subject and "\r" not in subject
    message = email_message(
        to=["rep@example.org"], subject=subject, text="b", language="en"
    )
    parsed = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    assert parsed["bcc"] is None


@pytest.mark.parametrize(
    "name",
    [
        "الشبكة الوطنية لمنظمات المجتمع المدني العاملة في التنمية بقيادة المجتمع",
        "شبكة «النور» Community-Led Development Network للتنمية المجتمعية في الأردن",
    ],
)
def test_a_long_arabic_subject_comes_back_whole_from_the_raw_message(name):
    subject, text, _html = email_render(
        template="members_request",
        context={"chapter_name": name, "reminder": True, "days": 30},
        language="ar",
    )
    message = email_message(
        to=["rep@example.org"], subject=subject, text=text, language="en"
    )
    raw = message.message().as_bytes()
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].splitlines())
    assert subject_of(message) == subject
    assert f" {name}" in subject_of(message)


@pytest.mark.django_db
def test_an_invitation_subject_shows_the_meeting_title_as_typed(
    django_capture_on_commit_callbacks,
):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        title_en=NAME,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=2),
    )
    representative = RepresentativeFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_batch_create(
            actor=organiser,
            meeting=meeting,
            recipients=[
                Recipient(
                    name=representative.name,
                    email=representative.email,
                    language="en",
                    organisation=representative.organisation,
                )
            ],
        )
    (message,) = mail.outbox
    assert subject_of(message).startswith(f"Invitation: {NAME}, ")


def test_no_space_of_an_arabic_subject_is_lost_wherever_the_line_folds():
    """Whatever length comes before it, a space between two Arabic words
    survives the header's folding into encoded words."""
    words = (
        "هل نُدرج منظمتكم عضواً في الشبكة الوطنية للتنمية التي تقودها المجتمعات المحلية"
    )
    for shift in range(1, 40):
        subject = "ا" * shift + " " + words
        message = email_message(
            to=["rep@example.org"], subject=subject, text="b", language="ar"
        )
        raw = message.message().as_bytes()
        assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].splitlines())
        assert subject_of(message) == subject, shift
