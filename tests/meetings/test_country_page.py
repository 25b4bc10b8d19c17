"""Public meetings on the country page: title, date and city or "online",
never the online link or who attends."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from meetings.selectors import meetings_for_country_page
from tests.factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _render(chapter, language="en"):
    with translation.override(language):
        return Template(
            "{% include 'chapters/partials/country_meetings.html' %}"
        ).render(Context({"chapter": chapter}))


def test_public_meetings_show_title_date_and_city_only(chapter):
    meeting = MeetingFactory(
        chapter=chapter,
        is_public=True,
        city_en="Amman",
        online_url="https://meet.example/secret-room",
    )
    invitation = InvitationFactory(meeting=meeting, status="accepted")
    html = _render(chapter)
    assert str(meeting.title_en) in html
    assert "Amman" in html
    assert "secret-room" not in html
    assert invitation.name not in html
    assert "Community hall" not in html


def test_online_meetings_say_online_and_private_drafts_and_cancelled_are_hidden(
    chapter,
):
    MeetingFactory(
        chapter=chapter,
        is_public=True,
        venue_address="",
        online_url="https://x.example/r",
        title_en="Online one",
    )
    MeetingFactory(chapter=chapter, is_public=False, title_en="Private one")
    MeetingFactory(
        chapter=chapter, is_public=True, status="draft", title_en="Draft one"
    )
    MeetingFactory(chapter=chapter, is_public=True, status="cancelled", title_en="Gone")
    html = _render(chapter)
    assert "Online one" in html and "online" in html
    assert "Private one" not in html and "Draft one" not in html and "Gone" not in html


def test_past_and_upcoming_meetings_are_split(chapter):
    past = timezone.now() - timedelta(days=30)
    MeetingFactory(
        chapter=chapter,
        is_public=True,
        status="held",
        starts_at=past,
        ends_at=past + timedelta(hours=2),
    )
    MeetingFactory(chapter=chapter, is_public=True)
    meetings = meetings_for_country_page(chapter=chapter)
    assert len(meetings["past"]) == 1 and len(meetings["upcoming"]) == 1


def test_nothing_is_rendered_without_public_meetings(chapter):
    assert _render(chapter).strip() == ""
