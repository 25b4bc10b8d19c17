"""The staff timeline of a chapter: its status changes, meetings held,
members joining and leaving and engagements with government, newest first
and grouped by month; staff only."""

import datetime as dt
import re

import pytest
import time_machine

from chapters import services
from meetings.models import Engagement, EngagementKind
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganiserFactory,
    StaffFactory,
)
from tests.members.test_members_as_of import (
    NOW,
    confirmed_members,
    member_who_left,
)
from tests.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(db):
    return ChapterFactory(country="JO", time_zone="Asia/Amman")


def timeline(language="en"):
    return url("chapters:staff_timeline", "jo", language=language)


@pytest.fixture
def story(chapter, organiser, sent):
    """Members confirmed in September, a meeting held in October, one
    member withdrew in November, an engagement and a change of status in
    December."""
    member_who_left(chapter, organiser, sent)
    MeetingFactory(
        chapter=chapter,
        status="held",
        title_en="First exploratory meeting",
        starts_at=dt.datetime(2026, 10, 5, 7, 0, tzinfo=dt.UTC),
    )
    Engagement.objects.create(
        chapter=chapter,
        kind=EngagementKind.PARLIAMENTARY_VISIT,
        happened_on=dt.date(2026, 12, 1),
        title_en="Visit of the local development committee",
    )
    with time_machine.travel(NOW, tick=False):
        services.chapter_update(
            actor=organiser, chapter=chapter, data={"status": "exploring"}
        )
        yield


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_staff_read_every_kind_of_event_newest_first_by_month(staff_client, story):
    page = staff_client.get(timeline())
    assert page.status_code == 200
    html = page.content.decode()
    months = re.findall(r'<h2 class="h5[^"]*" id="month-\d+">([^<]+)</h2>', html)
    assert months == [
        "December 2026",
        "November 2026",
        "October 2026",
        "September 2026",
    ]
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert kinds[:3] == ["status", "engagement", "left"]
    assert kinds[3] == "meeting"
    assert kinds[4:] == ["joined", "joined"]
    assert "The chapter&#x27;s status became “Exploring”." in html
    assert "withdrew its membership." in html
    assert "confirmed its membership and is listed." in html


def test_the_timeline_reads_in_arabic(staff_client, story):
    html = staff_client.get(timeline("ar")).content.decode()
    assert "ديسمبر 2026" in html
    assert "سحبت" in html


def test_the_staff_overview_links_to_each_chapters_timeline(staff_client, story):
    html = staff_client.get(url("chapters:staff_overview")).content.decode()
    assert f'href="{timeline()}"' in html


def test_the_timeline_reads_the_same_queries_for_more_events(
    staff_client,
    chapter,
    organiser,
    sent,
    story,
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(20) as few:
        staff_client.get(timeline())
    confirmed_members(chapter, organiser, sent, ["C", "D", "E"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(timeline()).status_code == 200


def test_an_organiser_of_the_chapter_gets_404(client, chapter, story):
    client.force_login(OrganiserFactory(chapter=chapter).user)
    assert client.get(timeline()).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, story):
    response = client.get(timeline())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_chapter_is_404(staff_client, story):
    assert staff_client.get(url("chapters:staff_timeline", "zz")).status_code == 404
