"""The staff comparison of chapters: the figures of two chapters, sorting,
the CSV and Excel exports, the queries, and who may open it."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine

from meetings.models import Engagement, EngagementKind
from meetings.services.attendance import attendance_check_in
from members.models import Membership
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganiserFactory,
    ProspectFactory,
    StaffFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def build_chapter(country, *, outreach, invited, attended, members, engagements):
    """A chapter whose outreach list has `outreach` organisations, the first
    `invited` of them invited to a meeting held on 5 October, the first
    `attended` checked in there, the first `members` listed members; and
    `engagements` engagements this month plus one older than 90 days."""
    chapter = ChapterFactory(country=country, time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting = MeetingFactory(
        chapter=chapter,
        starts_at=dt.datetime(2026, 10, 5, 7, 0, tzinfo=dt.UTC),
        status="held",
    )
    prospects = [ProspectFactory(chapter=chapter) for _ in range(outreach)]
    for index, prospect in enumerate(prospects[:invited]):
        invitation = InvitationFactory(
            meeting=meeting, organisation=prospect.organisation
        )
        if index < attended:
            attendance_check_in(actor=organiser, invitation=invitation)
    for prospect in prospects[:members]:
        MembershipFactory(
            chapter=chapter,
            organisation=prospect.organisation,
            state=Membership.State.CONFIRMED,
        )
    for day in [dt.date(2026, 12, 1)] * engagements + [dt.date(2026, 6, 1)]:
        Engagement.objects.create(
            chapter=chapter,
            kind=EngagementKind.SDG_CONSULTATION,
            happened_on=day,
            title_en="Consultation",
        )
    return chapter


@pytest.fixture
def chapters(db):
    with time_machine.travel(NOW, tick=False):
        jordan = build_chapter(
            "JO", outreach=5, invited=4, attended=3, members=2, engagements=2
        )
        morocco = build_chapter(
            "MA", outreach=2, invited=1, attended=0, members=0, engagements=0
        )
        yield jordan, morocco


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def figures(html: str, country: str) -> dict:
    row = html.split(f'data-country="{country}"', 1)[1].split("</tr>", 1)[0]
    found = {}
    for part in row.split('data-figure="')[1:]:
        key, rest = part.split('"', 1)
        text = rest.split(">", 1)[1].split("</td>", 1)[0]
        found[key] = " ".join(text.replace("<", " <").split()) if key else text
    return found


def test_each_chapter_has_its_status_members_funnel_meeting_and_engagements(
    staff_client, chapters
):
    page = staff_client.get(url("chapters:staff_comparison"))
    assert page.status_code == 200
    html = page.content.decode()
    jordan = figures(html, "jo")
    assert [jordan[key] for key in ("members", "outreach", "invited")] == [
        "2",
        "5",
        "4",
    ]
    assert [jordan[key] for key in ("attended", "confirmed", "engagements")] == [
        "3",
        "2",
        "2",
    ]
    assert "5 October 2026" in jordan["last_meeting"]
    morocco = figures(html, "ma")
    assert [morocco[key] for key in ("members", "outreach", "invited")] == [
        "0",
        "2",
        "1",
    ]
    assert [morocco[key] for key in ("attended", "confirmed", "engagements")] == [
        "0",
        "0",
        "0",
    ]


def test_rows_sort_by_the_column_asked_for(staff_client, chapters):
    def order(sort):
        html = staff_client.get(url("chapters:staff_comparison") + sort).content
        html = html.decode()
        return [code for code in ("jo", "ma") if f'data-country="{code}"' in html] and [
            part.split('"', 1)[0] for part in html.split('<tr data-country="')[1:]
        ]

    assert order("?sort=country") == ["jo", "ma"]
    assert order("?sort=-country") == ["ma", "jo"]
    assert order("?sort=outreach") == ["ma", "jo"]
    assert order("?sort=-engagements") == ["jo", "ma"]
    # An unknown column is the default order.
    assert order("?sort=password") == ["jo", "ma"]


def test_the_page_takes_the_same_queries_for_more_chapters(
    staff_client, chapters, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        staff_client.get(url("chapters:staff_comparison"))
    with time_machine.travel(NOW, tick=False):
        for country in ("EG", "LB", "TN"):
            build_chapter(
                country, outreach=2, invited=2, attended=1, members=1, engagements=1
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = staff_client.get(url("chapters:staff_comparison")).content.decode()
    assert html.count("<tr data-country=") == 5


def test_the_csv_export_has_the_figures_and_a_dated_name(staff_client, chapters):
    with time_machine.travel(NOW, tick=False):
        response = staff_client.get(
            url("chapters:staff_comparison_export", "csv") + "?sort=-outreach"
        )
    assert response.status_code == 200
    assert "chapters-comparison-2026-12-03.csv" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["Country", "Chapter", "Status"]
    assert header[-1] == "Engagements in the last 90 days"
    assert [row[0] for row in rows] == ["Jordan", "Morocco"]
    assert rows[0][3:8] == ["2", "5", "4", "3", "2"]
    assert rows[0][8] == "5 October 2026"
    assert rows[0][9] == "2"


def test_the_excel_export_neutralises_formulas_and_reads_right_to_left_in_arabic(
    staff_client, chapters
):
    jordan, _morocco = chapters
    jordan.name_ar = "=HYPERLINK(1)"
    jordan.save()
    response = staff_client.get(
        url("chapters:staff_comparison_export", "xlsx", language="ar")
    )
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "الدولة"
    assert "'=HYPERLINK(1)" in [row[1] for row in rows]
    assert sheet.sheet_view.rightToLeft


def test_an_unknown_export_format_is_404(staff_client, chapters):
    response = staff_client.get(url("chapters:staff_comparison_export", "pdf"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["chapters:staff_comparison", "chapters:staff_comparison_export"]
)
def test_an_organiser_gets_404_and_a_visitor_is_sent_to_sign_in(client, chapters, name):
    address = url(name, "csv") if name.endswith("export") else url(name)
    assert client.get(address).status_code == 302
    client.force_login(OrganiserFactory(chapter=chapters[0]).user)
    assert client.get(address).status_code == 404


def test_the_staff_overview_links_to_the_comparison(staff_client, chapters):
    html = staff_client.get(url("chapters:staff_overview")).content.decode()
    assert f'href="{url("chapters:staff_comparison")}"' in html
