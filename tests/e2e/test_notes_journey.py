"""In Arabic, during the meeting: an organiser types notes on an agenda item,
sees them saved, reloads and finds them; with the connection cut, the text
stays on the device and is saved once it is back."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import AgendaNote
from tests.e2e.session import sign_in
from tests.factories import ChapterFactory, MeetingFactory, OrganiserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_takes_notes_live_in_arabic_and_nothing_is_lost(page, live_server):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    starts = timezone.now() - timedelta(minutes=30)
    meeting = MeetingFactory(
        chapter=chapter,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        working_languages=["ar"],
    )
    item = meeting.agenda_items.create(
        order=1, title_ar="الترحيب والمقدمات", title_en="Welcome and introductions"
    )
    sign_in(page.context, organiser, live_server)

    page.goto(f"/ar/manage/jo/meetings/{meeting.pk}/notes/")
    area = page.locator(f"#note-{item.pk}-ar")
    status = page.locator(f"#status-{item.pk}-ar")
    assert area.get_attribute("dir") == "rtl"
    area.click()
    area.press_sequentially("رحّب المنسّق بممثلي المنظمات", delay=20)
    page.wait_for_function(
        "el => el.textContent.includes('حُفظ')", arg=status.element_handle()
    )
    assert re.search(r"\d{1,2}:\d{2}", status.text_content())

    page.reload()
    assert page.locator(f"#note-{item.pk}-ar").input_value() == (
        "رحّب المنسّق بممثلي المنظمات"
    )

    # The connection drops while typing: the status says so and the text
    # waits on the device.
    page.context.set_offline(True)
    area = page.locator(f"#note-{item.pk}-ar")
    area.click()
    area.press("End")
    area.press_sequentially(" وقدّمت كل منظمة نفسها", delay=20)
    page.wait_for_function(
        "el => el.textContent.includes('غير متصل')", arg=status.element_handle()
    )
    assert AgendaNote.objects.get().text_ar == "رحّب المنسّق بممثلي المنظمات"

    # Back online and reloaded (the retry may or may not have gone out
    # first): the text is on the page and saved either way.
    expected = "رحّب المنسّق بممثلي المنظمات وقدّمت كل منظمة نفسها"
    page.context.set_offline(False)
    page.reload()
    page.wait_for_function(
        """([id, text]) => {
            const area = document.getElementById("note-" + id + "-ar");
            const status = document.getElementById("status-" + id + "-ar");
            // Right after the reload the new page may not be there yet.
            return Boolean(area && status) && area.value === text
                && /حُفظ|محفوظ/.test(status.textContent)
                && !status.textContent.includes("…");
        }""",
        arg=[item.pk, expected],
    )
    assert AgendaNote.objects.get().text_ar == expected


def test_page_rendered_before_the_last_save_landed_shows_the_saved_text(
    page, live_server
):
    """A reload can overtake the save that was in flight: the server renders
    the older text, then the save lands. The device's receipt of that save
    puts the saved text back instead of showing the older one."""
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting = MeetingFactory(chapter=chapter, working_languages=["ar"])
    item = meeting.agenda_items.create(
        order=1, title_ar="الترحيب والمقدمات", title_en="Welcome and introductions"
    )
    sign_in(page.context, organiser, live_server)
    url = f"{live_server.url}/ar/manage/jo/meetings/{meeting.pk}/notes/"
    page.goto(url)
    # The page as the server rendered it before the save.
    stale = page.request.get(url).text()

    area = page.locator(f"#note-{item.pk}-ar")
    status = page.locator(f"#status-{item.pk}-ar")
    area.click()
    area.press_sequentially("عرضت كل منظمة عملها", delay=10)
    page.wait_for_function(
        "el => el.textContent.includes('حُفظ')", arg=status.element_handle()
    )

    page.route(url, lambda route: route.fulfill(body=stale, content_type="text/html"))
    page.reload()
    assert area.input_value() == "عرضت كل منظمة عملها"
    assert status.text_content() == "محفوظ"

    # Once the page is as new as the receipt, the receipt is dropped and the
    # server's text is what shows.
    page.unroute(url)
    AgendaNote.objects.filter(item=item).update(
        text_ar="نص أحدث من منظم آخر", version_ar=2
    )
    page.reload()
    assert area.input_value() == "نص أحدث من منظم آخر"
    drafts = "Object.keys(localStorage).filter(k => k.startsWith('cld-note:'))"
    assert page.evaluate(f"{drafts}.length") == 0
