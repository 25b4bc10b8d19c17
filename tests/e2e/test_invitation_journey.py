"""In Arabic: an organiser creates a meeting, shares a material and invites
three organisations; a representative opens the link from the e-mail, reads
the material and accepts."""

import os
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Invitation, MaterialOpening, Meeting
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.meetings.conftest import ensure_default_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_organiser_invites_three_organisations_and_a_representative_accepts(
    page, browser, live_server, tmp_path
):
    ensure_default_agenda()
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    reps = []
    for name in ("جمعية شروق", "مؤسسة جسور", "معهد الدراسات"):
        prospect = ProspectFactory(chapter=chapter, organisation__name_ar=name)
        reps.append(
            RepresentativeFactory(organisation=prospect.organisation, language="ar")
        )
    sign_in(page.context, organiser, live_server)

    page.goto("/ar/manage/jo/meetings/new/")
    start = timezone.localtime(
        timezone.now() + timedelta(days=12), ZoneInfo("Asia/Amman")
    ).replace(hour=10, minute=0)
    page.fill('input[name="title_ar"]', "الاجتماع الاستكشافي الأول")
    page.fill('input[name="title_en"]', "First exploratory meeting")
    page.fill('input[name="starts_at"]', start.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        'input[name="ends_at"]', (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    page.fill('input[name="city_ar"]', "عمّان")
    page.fill('textarea[name="venue_address"]', "قاعة المجتمع، شارع الجامعة")
    page.get_by_role("button", name="حفظ").click()
    page.wait_for_url(re.compile(r"/ar/manage/jo/meetings/\d+/$"))
    assert page.get_by_text("الترحيب والمقدمات").is_visible()
    meeting = Meeting.objects.get()

    brief = tmp_path / "موجز الحراك.pdf"
    brief.write_bytes(PDF)
    page.locator("#materials summary").click()
    page.locator('#materials input[name="title"]').fill("موجز عن الحراك")
    page.locator('#materials input[name="file"]').set_input_files(str(brief))
    page.get_by_role("button", name="إضافة المادة").click()
    page.wait_for_url(re.compile(r"#materials$"))
    _shot(page, "meeting-detail-ar.png")

    page.get_by_role("link", name="دعوة المنظمات").click()
    for rep in reps:
        page.check(f"#rep-{rep.pk}")
    page.get_by_role("button", name="معاينة الدعوة").click()
    assert page.get_by_text("ستُرسل الدعوة إلى 3 أشخاص").is_visible()
    _shot(page, "invite-preview-ar.png")
    page.get_by_role("button", name="إرسال الدعوات").click()
    page.wait_for_url(re.compile(r"/batches/\d+/$"))
    assert page.locator("#batch-progress").get_attribute("value") == "3"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in reps)

    message = next(m for m in mail.outbox if m.to[0] == reps[0].email)
    assert "دعوة" in message.subject
    path = re.search(r"https?://[^/\s]+(/ar/invitation/[^/\s]+/)", message.body)
    representative = browser.new_context(base_url=live_server.url, locale="ar")
    invitee = representative.new_page()
    invitee.goto(path.group(1))
    assert invitee.get_by_role("heading", name="الاجتماع الاستكشافي الأول").is_visible()
    assert invitee.evaluate("getComputedStyle(document.body).direction") == "rtl"
    _shot(invitee, "invitation-page-ar.png")
    with invitee.expect_download() as download:
        invitee.get_by_role("link", name="موجز عن الحراك").click()
    assert download.value.suggested_filename.endswith(".pdf")

    invitee.get_by_label("سأحضر").check()
    invitee.get_by_label("من سيحضر عن منظمتكم").fill("سلمى وعمر")
    invitee.get_by_role("button", name="حفظ ردّي").click()
    assert invitee.get_by_text("لقد أكّدتم حضوركم.").is_visible()
    representative.close()

    invitation = Invitation.objects.get(email=reps[0].email)
    assert invitation.status == "accepted"
    assert invitation.attendees == "سلمى وعمر"
    assert MaterialOpening.objects.filter(invitation=invitation).count() == 1
    assert meeting.invitations.count() == 3
