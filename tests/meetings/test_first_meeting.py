"""A chapter's first meeting is dated by its first exploratory meeting held
in the portal; the date organisers typed stays only for a chapter whose
first meeting took place before it used the portal."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.selectors import chapter_zone
from meetings.services.meetings import meeting_create, meeting_mark_held
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _held(chapter, organiser, starts, kind="exploratory"):
    return meeting_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": kind,
            "title_en": "Exploratory meeting",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "venue_address": "Hall",
        },
        already_held=True,
    )


def _api(client) -> str | None:
    return client.get("/api/v1/countries/jo/").json()["first_meeting_on"]


def _listed(client) -> str | None:
    rows = client.get("/api/v1/countries/").json()["results"]
    return next(row for row in rows if row["code"] == "JO")["first_meeting_on"]


def test_the_first_exploratory_meeting_held_dates_the_chapters_first_meeting(
    client, chapter, organiser
):
    chapter.first_meeting_on = datetime.date(2019, 6, 1)  # typed long ago
    chapter.save()
    assert _api(client) == "2019-06-01"
    assert "1 June 2019" in client.get("/en/countries/jo/").content.decode()

    # 22:30 UTC is the next day in Amman: the chapter's own calendar counts.
    first = timezone.now().replace(hour=22, minute=30, second=0, microsecond=0)
    first -= timedelta(days=60)
    _held(chapter, organiser, first)
    _held(chapter, organiser, first + timedelta(days=20))
    # Neither a follow-up meeting nor one not held (yet) counts.
    _held(chapter, organiser, first - timedelta(days=30), kind="follow_up")
    MeetingFactory(
        chapter=chapter,
        status="cancelled",
        starts_at=first - timedelta(days=10),
        ends_at=first - timedelta(days=10, hours=-2),
    )
    expected = (first + timedelta(days=1)).date()
    assert _api(client) == expected.isoformat()
    assert _listed(client) == expected.isoformat()
    page = client.get("/en/countries/jo/").content.decode()
    assert f'<time datetime="{expected.isoformat()}">' in page
    assert "1 June 2019" not in page


def test_marking_a_meeting_held_refreshes_the_cached_country_page(
    client, chapter, organiser, meeting
):
    assert 'datetime="' not in client.get("/en/countries/jo/").content.decode()
    assert _api(client) is None
    started = timezone.now() - timedelta(hours=1)
    type(meeting).objects.filter(pk=meeting.pk).update(
        starts_at=started, ends_at=started + timedelta(hours=3)
    )
    meeting_mark_held(actor=organiser, meeting=meeting)
    today = timezone.localtime(started, chapter_zone(chapter)).date().isoformat()
    assert _api(client) == today
    assert (
        f'<time datetime="{today}">' in client.get("/en/countries/jo/").content.decode()
    )
