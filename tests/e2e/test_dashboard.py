"""In Arabic: an organiser opens the chapter's dashboard, reads the funnel
drawn right to left, follows a figure to the organisations behind it,
reads the audit trail and downloads the outreach list."""

import os

import pytest

from tests.chapters.test_dashboard import known_chapter
from tests.e2e.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_organiser_reads_the_arabic_dashboard_and_follows_a_figure(page, live_server):
    known = known_chapter()
    sign_in(page.context, known.organiser, live_server)

    page.goto("/ar/manage/jo/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    chart = page.locator('[data-testid="funnel-chart"]')
    assert chart.is_visible()
    assert chart.get_attribute("direction") == "rtl"
    assert chart.locator("rect").count() == 8
    # Mirrored: the labels sit to the right of the bars.
    label = chart.locator("text").first.bounding_box()
    bar = chart.locator("rect").first.bounding_box()
    assert label["x"] > bar["x"] + bar["width"] - 1
    # The bars grow from the right: the widest (identified) and the next
    # (invited) end at the same right edge.
    second = chart.locator("rect").nth(1).bounding_box()
    assert abs((bar["x"] + bar["width"]) - (second["x"] + second["width"])) < 1
    assert second["width"] < bar["width"]
    todo = page.locator('[data-testid="todo"]')
    assert "موعد التذكير" in todo.inner_text()
    _shot(page, "dashboard-ar.png")

    # The "accepted" figure of the funnel lists the two organisations.
    page.locator('[data-testid="funnel-table"] tr[data-step="accepted"] a').click()
    page.wait_for_url("**/figure/?figure=funnel%3Aaccepted")
    assert page.locator('[data-testid="figure-organisations"] tbody tr').count() == 2
    assert "منظمتان" in page.locator('[data-testid="figure-count"]').inner_text()

    page.goto("/ar/manage/jo/audit/")
    assert page.locator("h2").first.inner_text() == "سجل التغييرات"

    page.goto("/ar/manage/jo/exports/")
    with page.expect_download() as download:
        page.locator('a[href="/ar/manage/jo/exports/outreach.csv"]').click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as csv_file:
        header = csv_file.readline()
    assert "المنظمة (العربية)" in header


def test_the_english_dashboard_draws_the_same_chart_left_to_right(page, live_server):
    known = known_chapter()
    sign_in(page.context, known.organiser, live_server)
    page.goto("/en/manage/jo/")
    chart = page.locator('[data-testid="funnel-chart"]')
    assert chart.get_attribute("direction") == "ltr"
    label = chart.locator("text").first.bounding_box()
    bar = chart.locator("rect").first.bounding_box()
    assert label["x"] + label["width"] < bar["x"] + 1
