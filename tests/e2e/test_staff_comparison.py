"""Staff open the comparison of chapters from the staff overview, in Arabic
(right to left) and in English, sort it by a column and download it as an
Excel workbook and as CSV."""

import csv
import io

import openpyxl
import pytest

from members.models import Membership
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    ProspectFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_compare_chapters_in_arabic_and_english_and_download_them(
    page, live_server, screenshot_dir
):
    jordan = ChapterFactory(country="JO", time_zone="Asia/Amman", status="forming")
    ChapterFactory(country="MA", status="exploring")
    for prospect in [ProspectFactory(chapter=jordan) for _ in range(3)][:2]:
        MembershipFactory(
            chapter=jordan,
            organisation=prospect.organisation,
            state=Membership.State.CONFIRMED,
        )
    sign_in(page.context, StaffFactory(), live_server)

    page.goto("/ar/staff/chapters/")
    page.get_by_role("link", name="مقارنة الفروع").click()
    page.wait_for_url("**/ar/staff/chapters/compare/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="مقارنة الفروع").is_visible()
    row = page.locator('tr[data-country="jo"]')
    assert row.locator('[data-figure="members"]').text_content().strip() == "2"
    assert row.locator('[data-figure="outreach"]').text_content().strip() == "3"
    page.screenshot(
        path=str(screenshot_dir / "staff-comparison-ar.png"), full_page=True
    )
    with page.expect_download() as download:
        page.get_by_test_id("comparison-xlsx").click()
    assert download.value.suggested_filename.startswith("chapters-comparison-")
    workbook = io.BytesIO(download.value.path().read_bytes())
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet.sheet_view.rightToLeft
    assert sheet.cell(row=1, column=1).value == "الدولة"

    page.goto("/en/staff/chapters/compare/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.locator('th a[data-sort="members"]').click()
    page.locator('th a[data-sort="members"]').click()
    page.wait_for_url("**/compare/?sort=-members")
    codes = page.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.country)"
    )
    assert codes == ["jo", "ma"]
    page.screenshot(
        path=str(screenshot_dir / "staff-comparison-en.png"), full_page=True
    )
    with page.expect_download() as download:
        page.get_by_test_id("comparison-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = download.value.path().read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[0] == "Country"
    assert [row[0] for row in rows] == ["Jordan", "Morocco"]
