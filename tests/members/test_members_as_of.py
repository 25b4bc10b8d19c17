"""Members as of a past day, from the consent history: the selector, the
country page and its CSV (the API: tests/api/test_members_as_of.py)."""

import csv
import datetime as dt
import io

import pytest
import time_machine

from members.history import listed_members_as_of
from members.public import listed_in_page_order
from members.services import membership
from members.services.consent import consent_statement_current
from tests.factories import ChapterFactory
from tests.members.membership_helpers import (
    ask,
    link_of,
    membership_of,
    on_outreach_list,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

CONFIRMED_AT = dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC)
# 22:30 UTC on 10 November is already 11 November in Amman (UTC+3).
WITHDRAWN_AT = dt.datetime(2026, 11, 10, 22, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
BEFORE = dt.date(2026, 10, 1)


@pytest.fixture
def chapter(db):
    return ChapterFactory(country="JO", time_zone="Asia/Amman")


def confirmed_members(chapter, organiser, sent, names):
    """Organisations asked by the organiser and confirmed by their own
    representatives through their personal links, on CONFIRMED_AT."""
    made = []
    with time_machine.travel(CONFIRMED_AT, tick=False):
        for name in names:
            organisation, (representative,) = on_outreach_list(chapter, name_en=name)
            with sent():
                ask(organiser, chapter, organisation)
            with sent():
                membership.membership_confirm(
                    link=link_of(representative.email),
                    language="en",
                    role="Director",
                    consent_version=consent_statement_current().version,
                )
            made.append((organisation, representative))
    return made


def member_who_left(chapter, organiser, sent):
    """Two members confirmed in September; the first withdrew, through its
    withdrawal link, on 11 November in Amman."""
    (left, representative), (stayed, _rep) = confirmed_members(
        chapter, organiser, sent, ["Left Network", "Staying Association"]
    )
    with time_machine.travel(WITHDRAWN_AT, tick=False), sent():
        membership.membership_withdraw(
            membership=membership_of(chapter, left),
            link=link_of(representative.email, "withdraw"),
        )
    return left, stayed


@pytest.fixture
def history(chapter, organiser, sent):
    left, stayed = member_who_left(chapter, organiser, sent)
    with time_machine.travel(NOW, tick=False):
        yield left, stayed


def names(memberships):
    return [m.organisation.name_en for m in memberships]


def test_member_who_left_is_listed_as_of_a_past_day_and_not_today(chapter, history):
    assert names(listed_members_as_of(chapter, BEFORE)) == [
        "Left Network",
        "Staying Association",
    ]
    assert names(listed_in_page_order(chapter)) == ["Staying Association"]


def test_the_day_ends_in_the_chapters_time_zone(chapter, history):
    assert "Left Network" in names(listed_members_as_of(chapter, dt.date(2026, 11, 10)))
    assert "Left Network" not in names(
        listed_members_as_of(chapter, dt.date(2026, 11, 11))
    )


def test_consent_version_in_force_is_the_one_of_the_confirmation(chapter, history):
    version = consent_statement_current().version
    listed = listed_members_as_of(chapter, BEFORE)
    assert [m.consent_version_in_force for m in listed] == [version, version]


def test_a_day_before_any_confirmation_gives_an_empty_list(chapter, history):
    assert listed_members_as_of(chapter, dt.date(2026, 1, 1)) == []


def test_as_of_list_takes_one_query_whatever_the_number_of_members(
    chapter, organiser, sent, django_assert_num_queries
):
    confirmed_members(chapter, organiser, sent, ["A", "B"])
    with django_assert_num_queries(1):
        assert len(listed_members_as_of(chapter, dt.date(2026, 9, 30))) == 2
    confirmed_members(chapter, organiser, sent, ["C", "D", "E", "F"])
    with django_assert_num_queries(1):
        assert len(listed_members_as_of(chapter, dt.date(2026, 9, 30))) == 6


# The country page ----------------------------------------------------------------


def country(language="en", query=""):
    return url("chapters:country", "jo", language=language) + query


def test_country_page_as_of_a_past_day_lists_the_member_who_left(client, history):
    page = client.get(country(query="?as_of=2026-10-01"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Left Network" in html
    assert "Members as of 1 October 2026" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'href="/en/countries/jo/members.csv?as_of=2026-10-01"' in html

    today = client.get(country()).content.decode()
    assert "Left Network" not in today
    assert "Staying Association" in today
    assert "noindex" not in today


def test_country_page_as_of_shows_the_date_in_the_pages_language(client, history):
    left, _stayed = history
    html = client.get(country("ar", "?as_of=2026-10-01")).content.decode()
    assert "الأعضاء في 1 أكتوبر 2026" in html
    assert left.name_ar in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-45", "Write the date as year-month-day, for example 2026-12-03."),
        ("yesterday", "Write the date as year-month-day, for example 2026-12-03."),
        ("2027-01-01", "The members as of a future date are not known yet"),
    ],
)
def test_a_malformed_or_future_date_is_refused_with_a_message(
    client, history, value, message
):
    page = client.get(country(query=f"?as_of={value}"))
    assert page.status_code == 400
    assert message in page.content.decode()


def test_a_future_date_is_refused_in_arabic_on_the_arabic_page(client, history):
    page = client.get(country("ar", "?as_of=2027-01-01"))
    assert page.status_code == 400
    assert "المستقبل" in page.content.decode()


def test_as_of_today_is_todays_page(client, history):
    response = client.get(country(query="?as_of=2026-12-03"))
    assert response.status_code == 302
    assert response["Location"] == country()


def test_as_of_page_takes_the_same_queries_for_more_members(
    client, chapter, organiser, sent, history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        client.get(country(query="?as_of=2026-10-01"))
    confirmed_members(chapter, organiser, sent, ["C", "D", "E"])
    with (
        time_machine.travel(NOW, tick=False),
        django_assert_max_num_queries(len(few.captured_queries)),
    ):
        page = client.get(country(query="?as_of=2026-10-01"))
    assert "Left Network" in page.content.decode()


def test_todays_page_stays_cached_beside_as_of_pages(
    client, history, django_assert_max_num_queries
):
    client.get(country())
    client.get(country(query="?as_of=2026-10-01"))
    # A hit costs the version lookup alone.
    with django_assert_max_num_queries(1):
        again = client.get(country())
    assert "Left Network" not in again.content.decode()


def test_a_past_days_page_and_file_are_kept_until_the_chapter_changes(
    client, chapter, organiser, sent, history, django_assert_max_num_queries
):
    csv_url = url("chapters:members_csv", "jo", language="en")
    for address in (country(query="?as_of=2026-10-01"), csv_url + "?as_of=2026-10-01"):
        first = client.get(address)
        # Kept: the chapter's row and its version, nothing else.
        with django_assert_max_num_queries(2):
            again = client.get(address)
        assert again.status_code == 200
        assert body(again) == body(first)
        assert "Left Network" in body(again).decode("utf-8-sig")
    # A new member changes the chapter's version: the day is built again,
    # and still lists who was a member that day.
    confirmed_members(chapter, organiser, sent, ["C"])
    with django_assert_max_num_queries(30) as rebuilt:
        page = client.get(country(query="?as_of=2026-10-01"))
    assert len(rebuilt.captured_queries) > 2
    assert "Left Network" in page.content.decode()


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_a_day_older_than_three_years_is_built_each_time(
    client, history, django_assert_max_num_queries
):
    address = country(query="?as_of=2020-10-01")
    with django_assert_max_num_queries(30) as first:
        client.get(address)
    with django_assert_max_num_queries(30) as again:
        response = client.get(address)
    assert response.status_code == 200
    assert len(again.captured_queries) == len(first.captured_queries) > 2


def test_the_page_links_to_the_members_as_of_the_first_meeting(
    client, chapter, history
):
    chapter.first_meeting_on = dt.date(2026, 9, 20)
    chapter.save()
    html = client.get(country()).content.decode()
    assert 'href="/en/countries/jo/?as_of=2026-09-20"' in html


# The CSV ---------------------------------------------------------------------------


def rows(response) -> list[list[str]]:
    # Today's list comes whole from the cache, a past day's is streamed.
    body = b"".join(response) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_as_of_lists_the_member_who_left_with_its_consent_version(client, history):
    csv_url = url("chapters:members_csv", "jo", language="en")
    past = client.get(csv_url + "?as_of=2026-10-01")
    assert past.status_code == 200
    assert "2026-10-01" in past["Content-Disposition"]
    header, *members = rows(past)
    assert header[-1] == "Consent version in force"
    version = consent_statement_current().version
    assert [(row[0], row[-1]) for row in members] == [
        ("Left Network", version),
        ("Staying Association", version),
    ]

    header, *members = rows(client.get(csv_url))
    assert "Consent version in force" not in header
    assert [row[0] for row in members] == ["Staying Association"]


def test_csv_as_of_a_malformed_date_answers_400(client, history):
    csv_url = url("chapters:members_csv", "jo", language="en")
    response = client.get(csv_url + "?as_of=01/10/2026")
    assert response.status_code == 400
    assert "year-month-day" in response.content.decode()


# The demo ----------------------------------------------------------------------------


def test_the_demo_lists_as_of_two_months_ago_the_member_who_left_last_month(client):
    import io as text_io

    from django.core.management import call_command
    from django.utils import timezone

    call_command("seed_demo", stdout=text_io.StringIO())
    today = timezone.localdate()
    before = (today - dt.timedelta(days=61)).isoformat()
    name = "Horizon Development Think Tank (demo)"
    past = client.get(country(query=f"?as_of={before}")).content.decode()
    assert name in past
    assert name not in client.get(country()).content.decode()
    api = client.get(url("api:country", "jo") + f"?as_of={before}").json()
    assert name in [member["name"]["en"] for member in api["members"]]
