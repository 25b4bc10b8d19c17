"""One rule for a time shown to people: the chapter's zone, named for people,
with its offset; never UTC under a local label, never a raw identifier."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from chapters.times import local_time, zone_label
from tests.factories import ChapterFactory, MeetingFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

LRI, PDI = "\u2066", "\u2069"


def _country_meetings(chapter, language):
    with translation.override(language):
        return Template(
            "{% include 'chapters/partials/country_meetings.html' %}"
        ).render(Context({"chapter": chapter}))


@pytest.mark.parametrize(
    ("zone", "city_en", "offset"),
    [
        ("Asia/Amman", "Amman", "UTC+3"),
        ("Asia/Kathmandu", "Kathmandu", "UTC+5:45"),
        ("America/Bogota", "Bogotá", "UTC-5"),
    ],
)
def test_the_country_page_shows_an_upcoming_meeting_at_its_local_time(
    zone, city_en, offset
):
    """A 10:00 meeting reads 10:00 with the zone named for people, not the
    UTC hour under a local label."""
    chapter = ChapterFactory(country="JO", time_zone=zone)
    starts = datetime(2030, 3, 4, 10, 0, tzinfo=ZoneInfo(zone))
    MeetingFactory(
        chapter=chapter,
        is_public=True,
        starts_at=starts,
        ends_at=starts.replace(hour=13),
    )
    english = _country_meetings(chapter, "en")
    assert f"10:00 {city_en} time ({LRI}{offset}{PDI})" in english
    assert zone not in english
    arabic = _country_meetings(chapter, "ar")
    assert "10:00 بتوقيت " in arabic and f"({LRI}{offset}{PDI})" in arabic
    assert zone not in arabic


def test_a_time_in_utc_is_named_utc_and_the_label_follows_summer_time():
    moment = datetime(2030, 1, 1, 9, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"):
        assert local_time(moment, ZoneInfo("UTC"), date=False) == (
            f"09:00 UTC time ({LRI}UTC{PDI})"
        )
        winter = zone_label(ZoneInfo("Europe/Paris"), moment)
        summer = zone_label(
            ZoneInfo("Europe/Paris"), datetime(2030, 7, 1, tzinfo=ZoneInfo("UTC"))
        )
    assert "UTC+1" in winter and "UTC+2" in summer


def test_the_audit_trail_names_the_chapters_zone_for_people(client):
    from tests.factories import OrganiserFactory, UserFactory

    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    user = OrganiserFactory(chapter=chapter, user=UserFactory()).user
    client.force_login(user)
    body = client.get(url("chapters:audit", "jo")).content.decode()
    assert "Asia/Amman" not in body
    assert "Amman time" in body
