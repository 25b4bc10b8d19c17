"""The dashboard and the pages behind it ask the database the same small
number of questions for a chapter of ten organisations as for one of two
hundred (bench/dashboard.py measures two thousand)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.dashboard import seed_chapter
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("/ar/manage/{iso2}/", 20),
    ("/en/manage/{iso2}/figure/?figure=funnel:accepted", 7),
    ("/en/manage/{iso2}/figure/?figure=meeting:{meeting}:waiting", 8),
    ("/en/manage/{iso2}/audit/", 9),
    ("/en/manage/{iso2}/audit/?action=prospect.update&page=2", 9),
    ("/en/manage/{iso2}/exports/outreach.csv", 6),
    ("/en/manage/{iso2}/exports/members.xlsx", 5),
    ("/en/manage/{iso2}/exports/invitations.csv", 5),
    ("/en/manage/{iso2}/exports/attendance.xlsx", 5),
]


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200, path
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def chapter_of(size: int, code: str):
    chapter, organiser = seed_chapter(
        code=code, organisations=size, invitations=size * 5 // 2
    )
    return chapter, organiser, chapter.meetings.order_by("-starts_at").first()


@pytest.mark.parametrize(("template", "limit"), PAGES)
def test_pages_ask_as_many_queries_for_200_organisations_as_for_10(
    client, template, limit
):
    counts = []
    for size, code in [(10, "BV"), (200, "HM")]:
        chapter, organiser, meeting = chapter_of(size, code)
        client.force_login(organiser)
        path = template.format(iso2=chapter.iso2, meeting=meeting.pk)
        counts.append(queries_for(client, path))
    assert counts[0] == counts[1], counts
    assert counts[1] <= limit


def test_the_staff_pages_ask_the_same_queries_for_two_or_twelve_chapters(
    client,
):
    client.force_login(StaffFactory())
    chapter_of(10, "BV")
    chapter_of(10, "HM")
    few = queries_for(client, "/en/staff/chapters/")
    few_audit = queries_for(client, "/en/staff/audit/?chapter=BV")
    for code in ["AQ", "GS", "TF", "UM", "NF", "CX", "CC", "PN", "TK", "NU"]:
        chapter_of(3, code)
    assert queries_for(client, "/en/staff/chapters/") == few
    assert queries_for(client, "/en/staff/audit/?chapter=BV") == few_audit
    assert few <= 4
