"""An organiser imports a Windows-Arabic CSV in the Arabic interface: the
preview explains the bad row in Arabic, then the valid rows are imported."""

import re

import pytest
from playwright.sync_api import expect

from members.models import ImportJob, Organisation, Prospect
from tests.factories import ChapterFactory, OrganiserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "الاسم بالعربية;الاسم بالإنجليزية;النوع;ممثل المنظمة;"
    "البريد الإلكتروني لممثل المنظمة;هاتف ممثل المنظمة\r\n"
    "جمعية الأمل;Hope Society;منظمة مجتمع مدني;أمل;amal@example.org;0791234567\r\n"
    "شبكة النور;Light Network;شبكة;باسل;basel@example.org;12\r\n"
    "مركز الأفق;;دوائر الفكر;;;\r\n"
).encode("cp1256")


def sign_in(page, email):
    page.goto("/ar/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("correct-horse-9")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/ar/my/$"))


def test_organiser_imports_an_arabic_csv_with_preview_in_arabic(page, tmp_path):
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    path = tmp_path / "منظمات.csv"
    path.write_bytes(CSV)

    sign_in(page, organiser.email)
    page.goto("/ar/manage/jo/outreach/")
    page.get_by_role("link", name="استيراد ملف").click()
    page.wait_for_url(re.compile(r"/outreach/import/$"))
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="رفع الملف ومعاينته").click()
    page.wait_for_url(re.compile(r"/outreach/import/\d+/$"))

    bad_row = page.locator("tr[data-row='3']")
    assert "ليس رقم هاتف" in bad_row.inner_text()
    assert "منظمة جديدة" in page.locator("tr[data-row='2']").inner_text()
    assert not Organisation.objects.exists()

    page.get_by_test_id("commit").click()
    page.wait_for_selector("[data-testid=job-result]")
    assert "تم الاستيراد" in page.get_by_test_id("job-result").inner_text()
    assert set(Organisation.objects.values_list("name_ar", flat=True)) == {
        "جمعية الأمل",
        "مركز الأفق",
    }
    assert Prospect.objects.filter(chapter=chapter, source="import").count() == 2

    page.get_by_role("link", name="عرض قائمة التواصل").click()
    page.wait_for_url(re.compile(r"/ar/manage/jo/outreach/$"))
    assert page.get_by_test_id("outreach-table").get_by_text("جمعية الأمل").is_visible()


def test_progress_page_follows_a_background_job_until_its_preview(page):
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    job = ImportJob.objects.create(
        chapter=chapter,
        created_by=organiser,
        filename="large.csv",
        file_format="csv",
        content=b"",
        status=ImportJob.Status.CHECKING,
        total_rows=10,
        processed_rows=4,
    )
    sign_in(page, organiser.email)
    page.goto(f"/ar/manage/jo/outreach/import/{job.pk}/")
    progress = page.locator("progress")
    assert progress.get_attribute("value") == "40"
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=8)
    expect(progress).to_have_js_property("value", 80)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.PREVIEWED, processed_rows=10
    )
    page.wait_for_selector("[data-testid=preview-counts]")
    assert page.get_by_test_id("job-status").inner_text() == "جاهز للاستيراد"
