"""After the meeting, in Arabic and in English: an organiser opens the
meeting's ideas, turns the "pathways to government" idea into an engagement
(the form starts from the idea), writes the public summary, ticks "show on
the country page" and saves; the country page then shows the summary, and
the champion without consent only through their institution."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Engagement
from meetings.services.engagements import contact_create
from meetings.services.ideas import idea_add
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ar": {
        "turn": "تحويل إلى نشاط تواصل",
        "heading": "نشاط تواصل جديد مع الحكومة",
        "public": "عرض في صفحة البلد",
        "save": "حفظ",
        "saved": "حُفظ نشاط التواصل.",
        "section": "التواصل مع الحكومة",
        "summary": "زار أعضاء لجنة المياه المشروع واستمعوا إلى السكان.",
        "direction": "rtl",
    },
    "en": {
        "turn": "Turn into an engagement",
        "heading": "New engagement with government",
        "public": "Show on the country page",
        "save": "Save",
        "saved": "The engagement was saved.",
        "section": "Engagements with government",
        "summary": "The water committee visited the project and heard the residents.",
        "direction": "ltr",
    },
}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_organiser_turns_a_pathways_idea_into_a_published_engagement(
    page, live_server, screenshot_dir, language
):
    words = WORDS[language]
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    member = OrganisationFactory(
        name_ar="شبكة وادي الزيتون", name_en="Olive Valley Network"
    )
    MembershipFactory(chapter=chapter, organisation=member, state="confirmed")
    starts = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(
        chapter=chapter,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status="held",
    )
    idea = idea_add(
        actor=organiser,
        meeting=meeting,
        category="government",
        topic="parliamentary_visits",
        text="زيارة برلمانية لمشروع المياه في إربد",
        organisation=member,
    )
    silent = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Omar Silent",
            "institution": "Ministry of Water",
            "is_champion": True,
        },
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    sign_in(page.context, organiser, live_server)

    page.goto(f"/{language}/manage/jo/meetings/{meeting.pk}/ideas/")
    page.locator(f"#idea-{idea.pk}").get_by_role("link", name=words["turn"]).click()
    page.wait_for_url(f"**/ideas/{idea.pk}/engagement/")
    assert page.locator("html").get_attribute("dir") == words["direction"]
    assert page.get_by_role("heading", name=words["heading"]).is_visible()
    # The form starts from the idea: its text, the kind its topic leads to,
    # the organisation that proposed it.
    assert page.locator("input[name=title_ar]").input_value() == idea.text
    assert page.locator("select[name=kind]").input_value() == "parliamentary_visit"
    assert page.locator(f"input[name=organisations][value='{member.pk}']").is_checked()
    page.locator(f"textarea[name=summary_{language}]").fill(words["summary"])
    page.locator(f"input[name=contacts][value='{silent.pk}']").check()
    page.get_by_label(words["public"]).check()
    page.screenshot(
        path=str(screenshot_dir / f"engagement-form-{language}.png"), full_page=True
    )
    page.get_by_role("button", name=words["save"]).click()

    engagement = Engagement.objects.get()
    page.wait_for_url(f"**/manage/jo/engagements/{engagement.pk}/")
    assert page.get_by_text(words["saved"]).is_visible()
    assert engagement.idea == idea and engagement.is_public

    page.context.clear_cookies()
    page.goto(f"/{language}/countries/jo/")
    section = page.get_by_test_id("country-engagements")
    assert section.get_by_role("heading", name=words["section"]).is_visible()
    assert words["summary"] in section.text_content()
    assert idea.text in section.text_content()
    assert "Ministry of Water" in section.text_content()
    assert "Omar Silent" not in page.content()
    page.screenshot(
        path=str(screenshot_dir / f"engagement-country-{language}.png"), full_page=True
    )
    assert dialogs == []
