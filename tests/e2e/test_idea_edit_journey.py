"""In Arabic, after the meeting: an organiser rewords an idea from the ideas
page (mixed Arabic and English, with a script tag someone pasted), is told
that the published minutes show the new wording, and finds it there as
plain text; the same page in English reads left to right."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Idea
from meetings.services.ideas import idea_add
from meetings.services.minutes import minutes_publish
from tests.e2e.session import sign_in
from tests.factories import ChapterFactory, MeetingFactory, OrganiserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TEXT = 'حملة مناصرة مشتركة حول SDG 11 مع مدينة إربد <script>alert("x")</script>'


def test_organiser_rewords_an_idea_in_arabic_and_the_minutes_show_it(
    page, live_server, screenshot_dir
):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    starts = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(
        chapter=chapter,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status="held",
        title_ar="الجلسة الاستكشافية في إربد",
        title_en="Exploratory session in Irbid",
    )
    idea = idea_add(
        actor=organiser,
        meeting=meeting,
        category="joint_work",
        topic="advocacy",
        text="حملة منصارة مشتركة (هاتف سلمى 0790000000)",
        organisation_name="جمعية شروق",
    )
    minutes_publish(actor=organiser, meeting=meeting)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    sign_in(page.context, organiser, live_server)

    page.goto(f"/ar/manage/jo/meetings/{meeting.pk}/ideas/")
    page.locator(f"#idea-{idea.pk}").get_by_role("link", name="تعديل الصياغة").click()
    page.wait_for_url(f"**/ideas/{idea.pk}/edit/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="تعديل الفكرة").is_visible()
    assert page.get_by_text("محضر هذا الاجتماع منشور بالفعل").is_visible()
    text = page.locator("textarea[name=text]")
    assert text.get_attribute("dir") == "auto"
    text.fill(NEW_TEXT)
    page.locator("select[name=kind]").select_option("government:champions")
    page.screenshot(path=str(screenshot_dir / "idea-edit-ar.png"), full_page=True)
    page.get_by_role("button", name="حفظ").click()

    page.wait_for_url(f"**/ideas/#idea-{idea.pk}")
    assert page.get_by_text("حُفظت صياغة الفكرة.").is_visible()
    card = page.locator(f"#idea-{idea.pk}")
    assert NEW_TEXT in card.locator("p[dir=auto]").first.text_content()
    assert "الأبطال داخل الوزارات" in card.text_content()
    page.screenshot(path=str(screenshot_dir / "idea-edited-ar.png"), full_page=True)
    stored = Idea.objects.get(pk=idea.pk)
    assert stored.text == NEW_TEXT and stored.topic == "champions"

    page.goto(f"/ar/manage/jo/meetings/{meeting.pk}/minutes/")
    assert page.get_by_text(NEW_TEXT).first.is_visible()
    assert "0790000000" not in page.content()

    page.goto(f"/en/manage/jo/meetings/{meeting.pk}/ideas/{idea.pk}/edit/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="Edit the idea").is_visible()
    assert page.locator("textarea[name=text]").input_value() == NEW_TEXT
    page.screenshot(path=str(screenshot_dir / "idea-edit-en.png"), full_page=True)
    assert dialogs == []
