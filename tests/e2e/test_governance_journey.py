"""An organiser appoints a member organisation's representative to the
chapter's steering committee from the governance page, in Arabic and then in
English; the country page names the organisation in the steering committee,
never its representative."""

import pytest
from django.utils import timezone

from members.models import GovernanceRole, Membership
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    RepresentativeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def listed(chapter, name_ar, name_en, person):
    organisation = OrganisationFactory(name_ar=name_ar, name_en=name_en)
    MembershipFactory(
        chapter=chapter,
        organisation=organisation,
        state=Membership.State.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    representative = RepresentativeFactory(
        organisation=organisation, chapter=chapter, name=person
    )
    return organisation, representative


def test_organiser_appoints_steering_committee_members_and_the_country_page_shows_them(
    page, live_server, screenshot_dir
):
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    olive, rana = listed(chapter, "شبكة الزيتون", "Olive Network", "رنا حداد")
    sunrise, karim = listed(chapter, "جمعية الشروق", "Sunrise Society", "Karim Nasser")
    sign_in(page.context, organiser, live_server)

    page.goto("/ar/manage/jo/")
    page.get_by_role("link", name="الحوكمة").click()
    page.wait_for_url("**/ar/manage/jo/governance/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("select[name=kind]").select_option("steering")
    page.locator("select[name=holder]").select_option(f"{olive.pk}:{rana.pk}")
    page.screenshot(path=str(screenshot_dir / "governance-ar.png"), full_page=True)
    page.get_by_role("button", name="تسجيل الدور").click()
    page.wait_for_url("**/ar/manage/jo/governance/")
    assert page.get_by_text("سُجّل الدور.").is_visible()
    current = page.get_by_test_id("current-roles")
    assert "عضو اللجنة التوجيهية" in current.text_content()
    assert "رنا حداد" in current.text_content()

    page.goto("/en/manage/jo/governance/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.get_by_label("Role", exact=False).and_(page.locator("select")).select_option(
        "steering"
    )
    page.get_by_label("Member organisation and representative").select_option(
        f"{sunrise.pk}:{karim.pk}"
    )
    page.get_by_role("button", name="Record the role").click()
    page.wait_for_url("**/en/manage/jo/governance/")
    assert page.get_by_text("The role was recorded.").is_visible()
    page.screenshot(path=str(screenshot_dir / "governance-en.png"), full_page=True)
    assert GovernanceRole.objects.current().filter(kind="steering").count() == 2

    for language, names, heading in (
        ("ar", ("شبكة الزيتون", "جمعية الشروق"), "اللجنة التوجيهية"),
        ("en", ("Olive Network", "Sunrise Society"), "Steering committee"),
    ):
        page.goto(f"/{language}/countries/jo/")
        section = page.get_by_test_id("governance")
        assert heading in section.text_content()
        for name in names:
            assert name in section.text_content()
        for person in ("رنا حداد", "Karim Nasser"):
            assert person not in page.content()
