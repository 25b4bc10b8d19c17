"""The venue loses the network. The organiser opened the meeting the day
before, so its check-in, notes and ideas pages open offline; three people
are checked in, a note and an idea are taken, the tab is closed and opened
again offline, and when the network returns everything reaches the server
exactly once. Two phones at the door, one of them offline, end with one
attendance list."""

import re
import time

import pytest
from django.core import mail

from meetings.models import AgendaNote, Attendance, DeviceAction, Idea
from meetings.services.attendance import attendance_check_in
from tests.e2e.session import sign_in
from tests.e2e.test_meeting_day import _meeting_day
from tests.factories import ChapterFactory, InvitationFactory, OrganiserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = "cld-meeting-day-pages"


def _wait_for(condition, seconds=45):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("waited in vain")
        time.sleep(0.2)


def _kept_pages(page) -> list[str]:
    return page.evaluate(
        f"caches.open('{PAGES}').then(c => c.keys()).then(k => k.map(r => r.url))"
    )


def _offline(context, offline: bool):
    """The network gone for the pages and for their service worker."""
    context.set_offline(offline)


def _keep_meeting(page, meeting):
    """Open the meeting online the day before: its day pages are kept."""
    page.goto(f"/en/manage/jo/meetings/{meeting.pk}/")
    _wait_for(
        lambda: (
            sum(
                any(
                    url.endswith(f"/meetings/{meeting.pk}/{name}/")
                    for url in _kept_pages(page)
                )
                for name in ("checkin", "notes", "ideas")
            )
            == 3
        )
    )


@pytest.fixture
def day(live_server):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting, invitations = _meeting_day(organiser, chapter)
    # A fourth and a fifth invitee, so that three can be checked in.
    extra = [InvitationFactory(meeting=meeting, status="accepted") for _ in range(2)]
    mail.outbox.clear()
    return chapter, organiser, meeting, [*invitations.values(), *extra]


def test_check_in_notes_and_an_idea_offline_reach_the_server_once(
    browser, live_server, day
):
    _chapter, organiser, meeting, invitations = day
    context = browser.new_context(base_url=live_server.url, locale="en")
    sign_in(context, organiser, live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _keep_meeting(page, meeting)

    checkin = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    page.goto(checkin)
    _offline(context, True)
    # Meanwhile, at the other door, someone is checked in on the server: a
    # page this phone shows offline comes from the phone, so it cannot know.
    elsewhere = invitations[4]
    attendance_check_in(actor=organiser, invitation=elsewhere)
    status = page.get_by_test_id("meeting-day-status")
    for invitation in invitations[:3]:
        page.locator(f"#invitation-{invitation.pk} button[value=check_in]").click()
        page.locator(
            f"#invitation-{invitation.pk} [data-testid=waiting-badge]"
        ).wait_for()
    assert status.get_attribute("data-state") == "offline"
    assert page.get_by_test_id("waiting-count").inner_text() == "Waiting to be sent: 3"

    # A page that is not of the meeting day says so, and links to those that are.
    page.goto(f"/en/manage/jo/meetings/{meeting.pk}/decisions/")
    assert page.get_by_text("This page was not kept on this device.").is_visible()
    assert page.get_by_role("link", name="Check-in").get_attribute("href") == checkin

    # Another page of the meeting, opened offline: kept on the device.
    page.goto(f"/en/manage/jo/meetings/{meeting.pk}/notes/")
    first = page.locator("form.note-form textarea[name=text]").first
    first.fill("Offline note: three organisations want a working group on advocacy.")
    page.wait_for_timeout(1200)
    page.goto(f"/en/manage/jo/meetings/{meeting.pk}/ideas/")
    page.get_by_label("Category").select_option("government:champions")
    page.get_by_label("Idea or question").fill("Invite the deputy minister of planning")
    page.get_by_role("button", name="Add").click()
    page.get_by_test_id("ideas-waiting").get_by_test_id("waiting-badge").wait_for()

    # The tab closed and opened again, still offline: nothing is lost.
    page.close()
    page = context.new_page()
    page.goto(checkin)
    for invitation in invitations[:3]:
        page.locator(
            f"#invitation-{invitation.pk} [data-testid=waiting-badge]"
        ).wait_for()
    assert page.get_by_test_id("waiting-count").inner_text() == "Waiting to be sent: 5"
    assert not page.locator(
        f"#invitation-{elsewhere.pk} [data-testid=checked-in]"
    ).count()
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    assert not Idea.objects.filter(text__contains="deputy minister").exists()

    # The network returns: everything is sent, once, and the page shows what
    # the server now has.
    with page.expect_navigation():
        _offline(context, False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_for(lambda: Attendance.objects.filter(meeting=meeting).count() == 4)
    page.goto(f"/en/manage/jo/meetings/{meeting.pk}/notes/")
    _wait_for(
        lambda: AgendaNote.objects.filter(text_en__startswith="Offline note").exists()
    )
    page.goto(checkin)
    for invitation in [*invitations[:3], elsewhere]:
        assert page.locator(
            f"#invitation-{invitation.pk} [data-testid=checked-in]"
        ).is_visible()
    assert (
        page.get_by_test_id("waiting-count").inner_text() == "Nothing waits to be sent."
    )
    assert re.search(r"\d", page.get_by_test_id("last-sync").inner_text())
    assert Attendance.objects.filter(meeting=meeting).count() == 4
    assert Idea.objects.filter(text__contains="deputy minister").count() == 1
    assert DeviceAction.objects.count() == 4
    context.close()


def test_two_phones_check_in_the_same_person_one_of_them_offline(
    browser, live_server, day
):
    chapter, organiser, meeting, invitations = day
    second = OrganiserFactory(chapter=chapter).user
    person = invitations[0]
    phones = []
    for user in (organiser, second):
        context = browser.new_context(base_url=live_server.url, locale="en")
        sign_in(context, user, live_server)
        page = context.new_page()
        page.set_default_timeout(15_000)
        _keep_meeting(page, meeting)
        page.goto(f"/en/manage/jo/meetings/{meeting.pk}/checkin/")
        phones.append((context, page))
    (offline_context, offline_phone), (_online_context, online_phone) = phones

    _offline(offline_context, True)
    offline_phone.locator(f"#invitation-{person.pk} button[value=check_in]").click()
    offline_phone.locator(
        f"#invitation-{person.pk} [data-testid=waiting-badge]"
    ).wait_for()
    online_phone.locator(f"#invitation-{person.pk} button[value=check_in]").click()
    online_phone.locator(f"#invitation-{person.pk} [data-testid=checked-in]").wait_for()
    assert Attendance.objects.filter(invitation=person).count() == 1

    with offline_phone.expect_navigation():
        _offline(offline_context, False)
        offline_phone.evaluate("window.dispatchEvent(new Event('online'))")
    offline_phone.locator(
        f"#invitation-{person.pk} [data-testid=checked-in]"
    ).wait_for()
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    for context, _page in phones:
        context.close()
