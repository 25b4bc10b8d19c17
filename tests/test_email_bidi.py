"""Plain-text e-mails read right in Arabic: what someone typed in another
script is set apart so it cannot pull the Arabic around it, and every link
starts its own line, so a right-to-left line never shows it as
"/https://…" with the slash on the wrong side."""

import email
import email.policy
import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone

from meetings.services.invitations import Recipient, invitation_batch_create
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganiserFactory,
    RepresentativeFactory,
)

FSI, PDI = "\u2068", "\u2069"
URL = re.compile(r"https?://\S+")


def invite(organiser, meeting, representative) -> None:
    """The organiser invites one representative, in their language."""
    invitation_batch_create(
        actor=organiser,
        meeting=meeting,
        recipients=[
            Recipient(
                name=representative.name,
                email=representative.email,
                language=representative.language,
                organisation=representative.organisation,
            )
        ],
    )


def render(source: str, autoescape: bool, **context) -> str:
    return Template("{% load bidi %}" + source).render(
        Context(context, autoescape=autoescape)
    )


def test_a_typed_value_is_a_bdi_in_html_and_between_isolates_in_plain_text():
    title = "The Irbid network <visit>."
    assert (
        render("{{ t|isolate }}", True, t=title)
        == "<bdi>The Irbid network &lt;visit&gt;.</bdi>"
    )
    assert render("{{ t|isolate }}", False, t=title) == f"{FSI}{title}{PDI}"
    assert render("[{{ t|isolate }}]", True, t="") == "[]"


def test_direction_controls_typed_into_a_value_cannot_leak_out_of_it():
    typed = "\u202eشبكة\u2067 X"
    assert render("{{ t|isolate }}", False, t=typed) == f"{FSI}شبكة X{PDI}"


@pytest.mark.django_db
def test_an_arabic_invitation_isolates_the_english_title_and_gives_each_link_a_line(
    django_capture_on_commit_callbacks,
):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        title_ar="",
        title_en="The Irbid network visit.",
        map_url="https://maps.example.org/irbid/",
        online_url="https://meet.example.org/cld/",
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=2),
    )
    representative = RepresentativeFactory(language="ar", name="Laila Haddad")
    with django_capture_on_commit_callbacks(execute=True):
        invite(organiser, meeting, representative)
    (message,) = mail.outbox
    text = message.body
    assert f"{FSI}The Irbid network visit.{PDI}" in text
    assert f"{FSI}Laila Haddad{PDI}" in text
    links = [line for line in text.splitlines() if URL.search(line)]
    assert len(links) >= 4  # map, online, personal page, unsubscribe
    for line in links:
        assert URL.match(line.strip()), line
    html = message.alternatives[0][0]
    assert "<bdi>The Irbid network visit.</bdi>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "The CLD movement in Jordan"),
        ("ar", "حراك التنمية التي تقودها المجتمعات المحلية في الأردن"),
    ],
)
def test_an_invitation_comes_from_the_movement_in_the_chapters_country_in_its_language(
    django_capture_on_commit_callbacks, language, name
):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting = MeetingFactory(chapter=chapter, created_by=organiser)
    representative = RepresentativeFactory(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        invite(organiser, meeting, representative)
    (message,) = mail.outbox
    parsed = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.compat32
    )
    # RFC 2047's reading: adjacent encoded words join with nothing between
    # them, so a space survives only inside a word (as mail programs read it).
    assert f"{name} <no-reply@" in str(make_header(decode_header(parsed["from"])))
