"""One rule for a time shown to people: the chapter's zone, named for people,
with its offset; never UTC under a local label, never a raw identifier;
dates written as each language writes them; and a chapter's zone chosen from
a short list named for people."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from chapters import times
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
    assert f"Times are in Jordan Time ({LRI}UTC+3{PDI})." in body


# Dates written as each language writes them ----------------------------------

MOMENT = datetime(2026, 12, 2, 7, 0, tzinfo=ZoneInfo("UTC"))
AMMAN = ZoneInfo("Asia/Amman")


@pytest.mark.parametrize(
    ("language", "day", "moment", "weekday"),
    [
        ("en", "2 December 2026", "2 December 2026, 10:00", "Wednesday, 2 December"),
        ("ar", "2 ديسمبر 2026", "2 ديسمبر 2026، 10:00", "الأربعاء، 2 ديسمبر"),
    ],
)
def test_days_and_times_follow_the_language_with_its_own_comma(
    language, day, moment, weekday
):
    with translation.override(language):
        assert times.local_day(MOMENT, AMMAN) == day
        assert times.local_moment(MOMENT, AMMAN) == moment
        assert times.format_day(MOMENT.date(), weekday=True).startswith(weekday)
        meeting = times.local_range(MOMENT, MOMENT.replace(hour=10), AMMAN)
    assert meeting.startswith(weekday)
    assert f"{LRI}10:00–13:00{PDI}" in meeting
    if language == "ar":
        # No Latin comma anywhere in an Arabic date.
        assert "," not in times.local_moment(MOMENT, AMMAN, language="ar")


def test_the_portal_filters_write_dates_for_the_page_language():
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    page = Template(
        "{% load portal %}{{ day|day }} | {{ moment|day_in:chapter }} | "
        "{{ moment|moment_in:chapter }} | {{ chapter|zone_name }} | "
        "{{ moment|moment_in:'UTC' }} | {{ nothing|day }}"
    )
    context = {"day": MOMENT.date(), "moment": MOMENT, "chapter": chapter}
    with translation.override("ar"):
        arabic = page.render(Context(context))
    with translation.override("en"):
        english = page.render(Context(context))
    assert arabic == (
        "2 ديسمبر 2026 | 2 ديسمبر 2026 | 2 ديسمبر 2026، 10:00 | توقيت الأردن | "
        "2 ديسمبر 2026، 07:00 | "
    )
    assert english == (
        "2 December 2026 | 2 December 2026 | 2 December 2026, 10:00 | Jordan Time | "
        "2 December 2026, 07:00 | "
    )


# Zones named for people, and the chapter's choice --------------------------------


def test_a_zone_is_named_after_its_country_and_a_city_where_there_are_several():
    with translation.override("ar"):
        assert times.zone_name(AMMAN) == "توقيت الأردن"
    with translation.override("en"):
        assert times.zone_name(AMMAN) == "Jordan Time"
        assert times.zone_name(ZoneInfo("Asia/Gaza")) == (
            "Palestinian Territories (Gaza) Time"
        )
        assert times.zone_name(ZoneInfo("UTC")) == "Coordinated Universal Time"
        assert zone_label(AMMAN, MOMENT) == f"Jordan Time ({LRI}UTC+3{PDI})"


def test_the_zones_offered_are_the_chapters_country_first_then_the_movements():
    with translation.override("en"):
        groups = times.zone_choices(
            country="PS", other_countries=["JO", "EG", "PS"], moment=MOMENT
        )
    assert [label for label, _options in groups] == [
        "Palestine",
        "Other countries of the movement",
        "Universal time",
    ]
    own, others, universal = (dict(options) for _label, options in groups)
    assert set(own) == {"Asia/Gaza", "Asia/Hebron"}
    assert set(others) == {"Africa/Cairo", "Asia/Amman"}
    assert others["Africa/Cairo"] == f"Egypt Time ({LRI}UTC+2{PDI})"
    assert list(universal) == ["UTC"]


def test_a_zone_chosen_before_stays_offered_under_its_own_country():
    with translation.override("en"):
        groups = times.zone_choices(country="JO", current="Asia/Tokyo")
    assert ("Japan", [("Asia/Tokyo", f"Japan Time ({LRI}UTC+9{PDI})")]) in groups


@pytest.fixture
def jordan(client):
    from chapters.services import organiser_grant
    from tests.factories import StaffFactory, UserFactory

    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman", name_en="Jordan")
    ChapterFactory(country="EG", time_zone="Africa/Cairo")
    user = UserFactory()
    organiser_grant(actor=StaffFactory(), chapter=chapter, user=user)
    client.force_login(user)
    return chapter


def _zone_options(body: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="time_zone".*?</select>', body, re.S)[0]
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)


def test_the_edit_page_offers_a_short_list_named_in_the_page_language(client, jordan):
    arabic = client.get(url("chapters:edit", "jo", language="ar")).content.decode()
    options = _zone_options(arabic)
    assert options[0] == ("Asia/Amman", f"توقيت الأردن ({LRI}UTC+3{PDI})")
    assert ("Africa/Cairo", f"توقيت مصر ({LRI}UTC+2{PDI})") in options
    assert options[-1][0] == "UTC"
    assert len(options) == 3
    assert not any("/" in label for _value, label in options)
    assert '<optgroup label="الأردن">' in arabic


def test_the_chapter_chooses_the_zone_of_another_movement_country(client, jordan):
    from tests.chapters.test_manage import form_data

    response = client.post(
        url("chapters:edit", "jo"), form_data(jordan, time_zone="Africa/Cairo")
    )
    assert response.status_code == 302
    jordan.refresh_from_db()
    assert jordan.time_zone == "Africa/Cairo"


def test_a_zone_outside_the_list_is_refused_and_nothing_changes(client, jordan):
    from tests.chapters.test_manage import form_data

    response = client.post(
        url("chapters:edit", "jo"), form_data(jordan, time_zone="Asia/Tokyo")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    jordan.refresh_from_db()
    assert jordan.time_zone == "Asia/Amman"
