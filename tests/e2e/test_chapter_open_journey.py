"""Staff open a Lebanese chapter in the browser, working in Arabic and French
with French first; its organiser opens the French invitation from the
e-mail, opens an account and accepts in one step, and lands on the
chapter's overview with the first steps to take."""

import os
import re

import pytest
from django.core import mail

from chapters.models import AuditEntry, Chapter, Organiser
from tests.e2e.session import sign_in
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_staff_open_a_chapter_and_its_organiser_reaches_the_overview(
    page, browser, live_server
):
    staff = StaffFactory(email="staff@movement.example")
    sign_in(page.context, staff, live_server)

    page.goto("/en/staff/chapters/open/")
    page.get_by_label("Country").select_option("LB")
    with page.expect_navigation():
        page.get_by_role("button", name="Show this country's time zones").click()
    assert page.get_by_label("Time zone").input_value() == "Asia/Beirut"
    page.get_by_role("checkbox", name="Arabic").check()
    page.get_by_role("checkbox", name="French").check()
    page.get_by_role("checkbox", name="English").uncheck()
    page.get_by_label("Default language").select_option("fr")
    page.get_by_label("Name (Arabic)").fill("الفرع الوطني اللبناني")
    page.get_by_label("Name (French)").fill("Chapitre national du Liban")
    page.get_by_label("Organisers to invite").fill("Rima.Haddad@example.org")
    _shot(page, "chapter-open-en.png")
    page.get_by_role("button", name="Open the chapter").click()
    page.wait_for_url(re.compile(r"/en/manage/lb/$"))

    chapter = Chapter.objects.get(country="LB")
    assert chapter.languages == ["fr", "ar"]
    assert chapter.status == Chapter.Status.INTEREST
    assert AuditEntry.objects.filter(chapter=chapter, action="chapter.create").exists()

    # The chapter writes to its organiser in its default language.
    (message,) = [m for m in mail.outbox if m.to == ["rima.haddad@example.org"]]
    assert "Liban" in message.subject
    link = re.search(r"https?://[^/\s]+(/fr/manage/invitations/[^/\s]+/)", message.body)
    assert link, message.body

    organiser = browser.new_context(base_url=live_server.url, locale="fr")
    invited = organiser.new_page()
    invited.goto(link.group(1))
    assert invited.locator("html").get_attribute("lang") == "fr"
    assert invited.get_by_text("Chapitre national du Liban").is_visible()
    assert invited.get_by_text("staff@movement.example").is_visible()
    _shot(invited, "organiser-invitation-fr.png")
    invited.locator("form [data-primary-action]").click()
    invited.wait_for_url(re.compile(r"/fr/manage/lb/$"))

    steps = invited.get_by_test_id("first-steps")
    assert steps.is_visible()
    assert steps.locator("[data-done=false]").count() == 3
    assert (
        steps.get_by_role("link").nth(1).get_attribute("href")
        == "/fr/manage/lb/outreach/"
    )
    _shot(invited, "first-steps-fr.png")
    organiser.close()

    role = Organiser.objects.get(chapter=chapter, revoked_at__isnull=True)
    assert role.user.email == "rima.haddad@example.org"
