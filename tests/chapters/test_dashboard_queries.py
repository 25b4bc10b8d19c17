"""The dashboard and the pages behind it ask the database the same small
number of questions for a chapter of ten organisations as for one of two
hundred (bench/dashboard.py measures two thousand)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.dashboard import seed_chapter
from tests.factories import StaffFactory
from tests.urls import url

pytestmark = pytest.mark.django_db

# (URL name, its arguments after the chapter's code, query string, language,
# most queries)
PAGES = [
    # The dashboard's latest changes read as sentences: one more query per
    # kind of record they name (here one), whatever the number of rows.
    ("chapters:manage", [], "", "ar", 21),
    ("chapters:figure", [], "figure=funnel:accepted", "en", 7),
    ("chapters:figure", [], "figure=meeting:{meeting}:waiting", "en", 8),
    ("chapters:audit", [], "", "en", 9),
    ("chapters:audit", [], "action=prospect.update&page=2", "en", 9),
    ("chapters:export", ["outreach", "csv"], "", "en", 6),
    ("chapters:export", ["members", "xlsx"], "", "en", 5),
    ("chapters:export", ["invitations", "csv"], "", "en", 5),
    ("chapters:export", ["attendance", "xlsx"], "", "en", 5),
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


@pytest.mark.parametrize(("name", "args", "query", "language", "limit"), PAGES)
def test_pages_ask_as_many_queries_for_200_organisations_as_for_10(
    client, name, args, query, language, limit
):
    counts = []
    for size, code in [(10, "BV"), (200, "HM")]:
        chapter, organiser, meeting = chapter_of(size, code)
        client.force_login(organiser)
        path = url(name, chapter.iso2, *args, language=language)
        if query:
            path += "?" + query.format(meeting=meeting.pk)
        counts.append(queries_for(client, path))
    assert counts[0] == counts[1], counts
    assert counts[1] <= limit


def test_the_staff_pages_ask_the_same_queries_for_two_or_twelve_chapters(
    client,
):
    client.force_login(StaffFactory())
    chapter_of(10, "BV")
    chapter_of(10, "HM")
    few = queries_for(client, url("chapters:staff_overview"))
    few_audit = queries_for(client, url("chapters:staff_audit") + "?chapter=BV")
    for code in ["AQ", "GS", "TF", "UM", "NF", "CX", "CC", "PN", "TK", "NU"]:
        chapter_of(3, code)
    assert queries_for(client, url("chapters:staff_overview")) == few
    assert queries_for(client, url("chapters:staff_audit") + "?chapter=BV") == few_audit
    assert few <= 4
