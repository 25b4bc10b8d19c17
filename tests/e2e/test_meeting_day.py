"""The meeting day on an organiser's phone (360 px wide), in Arabic and in
English: at the door, an invitee who accepted, one who never answered (found
by a search typed without hamza or ta marbuta) and a walk-in whose
organisation joins the outreach list are checked in; a note is taken on an
item of the seed agenda; the minutes are published and reach those who
came (the walk-in who left an address too), not the invitee who accepted
and stayed away."""

import re
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from meetings.models import AgendaNote, Invitation, Meeting
from meetings.services.invitations import invitation_batch_create
from members.models import Organisation, Prospect
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.meetings.builders import meeting_form, recipients
from tests.meetings.conftest import ensure_default_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"http://[^/\s]+/(?:ar|en)/invitation/([A-Za-z0-9_\-]+)/")
PEOPLE = {
    "accepted": ("سلمى حداد", "جمعية سنابل"),
    "unanswered": ("أسامة النجّار", "مؤسسة الإخاء"),
    "no_show": ("Omar Said", "Bridges Network"),
}


def _meeting_day(organiser, chapter):
    """As organisers do it: the meeting created on their page (the seed
    agenda comes with it), the invitations sent through the services and
    answered through the personal links."""
    # A transactional test elsewhere may have flushed the seed agenda.
    ensure_default_agenda()
    client = Client()
    client.force_login(organiser)
    start = timezone.localtime(
        timezone.now() + timedelta(days=14), ZoneInfo("Asia/Amman")
    ).replace(hour=10, minute=0, second=0, microsecond=0)
    client.post(
        "/en/manage/jo/meetings/new/",
        meeting_form(start),
    )
    meeting = Meeting.objects.get()
    representatives = {}
    for key, (name, organisation) in PEOPLE.items():
        prospect = ProspectFactory(
            chapter=chapter, organisation__name_ar=organisation, stage="identified"
        )
        representatives[key] = RepresentativeFactory(
            organisation=prospect.organisation,
            chapter=chapter,
            name=name,
            language="ar" if key != "no_show" else "en",
        )
    invitation_batch_create(
        actor=organiser,
        meeting=meeting,
        recipients=recipients(representatives.values()),
    )
    tokens = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}
    for key in ("accepted", "no_show"):
        Client().post(
            f"/en/invitation/{tokens[representatives[key].email]}/",
            {"answer": "accept"},
        )
    mail.outbox.clear()
    invitations = {
        key: Invitation.objects.get(meeting=meeting, email=rep.email)
        for key, rep in representatives.items()
    }
    return meeting, invitations


def _wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("waited in vain")
        time.sleep(0.2)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_meeting_day_on_a_phone(page, live_server, language):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    meeting, invitations = _meeting_day(organiser, chapter)
    page.set_viewport_size({"width": 360, "height": 740})

    with time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=True):
        sign_in(page.context, organiser, live_server)
        checkin = f"/{language}/manage/jo/meetings/{meeting.pk}/checkin/"
        page.goto(checkin)
        assert page.locator("html").get_attribute("dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        # Every invitee is listed, whatever their answer.
        for key in PEOPLE:
            assert page.locator(f"#invitation-{invitations[key].pk}").is_visible()
        # Nothing overflows the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        row = page.locator(f"#invitation-{invitations['accepted'].pk}")
        with page.expect_navigation():
            row.locator("button[value=check_in]").click()
        page.wait_for_url(f"**{checkin}")
        # Marked present, in the success tone of the status badges.
        assert row.get_by_test_id("checked-in").is_visible()
        assert "tone-success" in row.get_by_test_id("checked-in").get_attribute("class")

        # Typed without hamza, shadda or ta marbuta, as people type on a phone.
        page.fill("#checkin-search", "اسامه النجار")
        page.press("#checkin-search", "Enter")
        page.wait_for_url("**?q=*")
        rows = page.locator("li[id^=invitation-]")
        assert rows.count() == 1
        with page.expect_navigation():
            rows.first.locator("button[value=check_in]").click()
        page.wait_for_url(f"**{checkin}")

        page.fill("#id_name", "سامي ناصر")
        page.fill("#id_organisation_name", "ملتقى شباب الكرك")
        page.check("#id_new_organisation")
        page.fill("#id_email", "sami@karak.example")
        with page.expect_navigation():
            page.locator("#walk-in button[type=submit]").click()
        page.wait_for_url(f"**{checkin}")
        assert "سامي ناصر" in page.locator("body").inner_text()
        assert "3" in page.get_by_test_id("present-count").inner_text()

        invitations["unanswered"].refresh_from_db()
        assert invitations["unanswered"].status == "sent"
        assert not hasattr(invitations["no_show"], "attendance")
        karak = Organisation.objects.get(name_ar="ملتقى شباب الكرك")
        assert Prospect.objects.get(chapter=chapter, organisation=karak).stage == (
            "attended"
        )

        item = meeting.agenda_items.order_by("order").first()
        assert item.title_ar == "الترحيب والمقدمات"  # the seed agenda
        page.goto(f"/{language}/manage/jo/meetings/{meeting.pk}/notes/")
        text = (
            "رحّب المنسّق بممثلي المنظمات."
            if language == "ar"
            else "The organiser welcomed the representatives."
        )
        area = page.locator(f"#note-{item.pk}-{language}")
        area.click()
        area.press_sequentially(text, delay=10)
        _wait_for(
            lambda: AgendaNote.objects.filter(
                item=item, **{f"text_{language}": text}
            ).exists()
        )

    with time_machine.travel(meeting.ends_at + timedelta(hours=1), tick=True):
        minutes = f"/{language}/manage/jo/meetings/{meeting.pk}/minutes/"
        page.goto(minutes)
        recipients = page.get_by_test_id("minutes-recipients")
        for key in ("accepted", "unanswered"):
            assert PEOPLE[key][0] in recipients.inner_text()
        # The walk-in left an address: the minutes reach him too.
        assert "سامي ناصر" in recipients.inner_text()
        assert PEOPLE["no_show"][0] not in recipients.inner_text()
        assert page.get_by_test_id("minutes-no-shows").is_visible()
        assert text in page.locator("article.minutes").inner_text()
        page.locator("button[name=action][value=publish]").click()
        page.wait_for_url(f"**{minutes}")
        _wait_for(lambda: len(mail.outbox) == 3)
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [
                invitations["accepted"].email,
                invitations["unanswered"].email,
                "sami@karak.example",
            ]
        )
        walk_in = next(m for m in mail.outbox if m.to[0] == "sami@karak.example")
        assert f"/{language}/invitation/" in walk_in.body
        assert (
            page.get_by_test_id("minutes-recipients").locator(".text-success").count()
            == 3
        )
