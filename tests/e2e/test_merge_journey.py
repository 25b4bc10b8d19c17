"""In Arabic: an organiser sees on an organisation's page that the outreach
list holds it twice, compares the two side by side, keeps the one that came
through the interest form and merges; one organisation is left, with the
other's website and representative."""

import os
import re

import pytest
from playwright.sync_api import expect

from members.models import Organisation, Prospect
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def sign_in(page, email):
    page.goto("/ar/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("correct-horse-9")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/ar/my/$"))


def test_organiser_merges_two_entries_of_one_organisation_in_arabic(page):
    chapter = ChapterFactory(country="JO")
    organiser = OrganiserFactory(chapter=chapter).user
    first = ProspectFactory(
        chapter=chapter,
        stage="invited",
        organisation=OrganisationFactory(
            name_ar="جمعية الأمل للتنمية",
            name_en="",
            city_ar="عمّان",
            website="https://hope.example.org",
            focus_sdgs=[5, 6],
        ),
    )
    second = ProspectFactory(
        chapter=chapter,
        source="interest_form",
        organisation=OrganisationFactory(
            name_ar="الامل للتنمية",
            name_en="Hope Development Society",
            acronym="HDS",
            tags=["المياه"],
        ),
    )
    RepresentativeFactory(organisation=first.organisation, name="أمل")
    InvitationFactory(
        meeting=MeetingFactory(chapter=chapter), organisation=first.organisation
    )

    sign_in(page, organiser.email)
    page.goto(f"/ar/manage/jo/outreach/{first.pk}/")
    expect(page.get_by_test_id("merge-hint")).to_contain_text("منظمة أخرى")
    page.get_by_role("link", name="الدمج مع…").click()
    page.wait_for_url(re.compile(rf"/outreach/{first.pk}/merge/$"))
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.get_by_test_id("merge-likely")).to_contain_text("الامل للتنمية")
    page.get_by_role("link", name="المقارنة والدمج").click()
    page.wait_for_url(re.compile(rf"/outreach/{first.pk}/merge/{second.pk}/$"))

    sides = page.get_by_test_id("merge-side")
    expect(sides).to_have_count(2)
    expect(sides.first).to_contain_text("hope.example.org")
    expect(sides.first.get_by_test_id("merge-counts")).to_contain_text("الدعوات: 1")
    # The two cards sit side by side, the first at the right in Arabic.
    right = sides.first.bounding_box()
    left = sides.last.bounding_box()
    assert right["x"] > left["x"] and abs(right["y"] - left["y"]) < 2
    _shot(page, "merge-ar.png")

    page.goto(f"/en/manage/jo/outreach/{first.pk}/merge/{second.pk}/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    expect(
        page.get_by_role("button", name="Merge the two organisations")
    ).to_be_visible()
    _shot(page, "merge-en.png")

    page.goto(f"/ar/manage/jo/outreach/{first.pk}/merge/{second.pk}/")
    page.locator(f"#keep-{second.organisation.pk}").check()
    page.get_by_role("button", name="دمج المنظمتين").click()
    page.wait_for_url(re.compile(rf"/outreach/{second.pk}/$"))
    expect(page.locator(".portal-messages")).to_contain_text(
        "أصبحت المنظمتان منظمة واحدة"
    )
    _shot(page, "merge-done-ar.png")

    kept = Organisation.objects.get()
    assert kept.pk == second.organisation.pk
    assert kept.name_ar == "الامل للتنمية"  # had one: kept
    assert kept.website == "https://hope.example.org"  # was empty: filled
    assert kept.representatives.get().name == "أمل"
    assert Prospect.objects.get().stage == "invited"
