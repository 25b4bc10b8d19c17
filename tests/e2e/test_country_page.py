"""The Arabic country page reads right to left, and an organisation expresses
its interest through the Arabic form."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from members.models import Membership, Prospect
from tests.factories import (
    ChapterFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_country_page_is_rtl_and_the_interest_form_works_in_arabic(
    page, live_server
):
    chapter = ChapterFactory(
        country="JO",
        name_ar="الفرع الوطني الأردني",
        name_en="Jordan chapter",
        introduction_ar="منظمات تعمل معاً من أجل التنمية التي تقودها المجتمعات المحلية.",
        contact_email="chapter@example.org",
    )
    OrganiserFactory(chapter=chapter, user=UserFactory(email="organiser@example.org"))
    MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_ar="جمعية الشروق", name_en="Sunrise"),
        state=Membership.State.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    MembershipFactory(
        chapter=chapter,
        organisation=OrganisationFactory(name_ar="منظمة لم تؤكد", name_en="Pending"),
        state=Membership.State.REQUESTED,
    )

    page.goto("/ar/countries/jo/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    members = page.get_by_test_id("members")
    assert "جمعية الشروق" in members.inner_text()
    assert "منظمة لم تؤكد" not in page.content()
    assert page.locator("h1").inner_text() == "الفرع الوطني الأردني"

    page.get_by_role("link", name="إبداء الاهتمام").click()
    page.wait_for_url(re.compile(r"/ar/countries/jo/interest/$"))
    form = page.get_by_test_id("interest-form")
    # An empty form is refused with Arabic errors and nothing is stored.
    form.get_by_role("button", name="إرسال").click()
    assert page.locator(".invalid-feedback").first.is_visible()
    assert not Prospect.objects.exists()

    page.get_by_label("اسم المنظمة").fill("جمعية النور Al-Nour")
    page.get_by_label("نوع المنظمة").select_option("cbo")
    page.get_by_label("الشخص المسؤول عن التواصل").fill("ليلى حداد")
    page.get_by_label("البريد الإلكتروني").fill("layla@example.org")
    page.get_by_label("الرسالة").fill("نود الانضمام إلى الفرع.")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.get_by_role("button", name="إرسال").click()
    page.wait_for_url(re.compile(r"/ar/countries/jo/interest/thanks/$"))
    assert page.get_by_test_id("interest-thanks").is_visible()

    prospect = Prospect.objects.get(chapter=chapter)
    assert prospect.organisation.name_ar == "جمعية النور Al-Nour"
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {"organiser@example.org", "layla@example.org"}
    acknowledgement = next(m for m in mail.outbox if m.to == ["layla@example.org"])
    assert "الأردن" in acknowledgement.subject
