"""In Arabic: a representative opens the personal link from the e-mail,
corrects the Arabic name, says they need to consult their organisation,
later confirms and volunteers for a task; the Arabic country page lists the
organisation, and after the withdrawal it no longer does."""

import os
import re

import pytest
from django.core import mail

from members.models import Membership, Volunteering
from members.services import initial_tasks
from members.services.membership import membership_request
from tests.factories import (
    ChapterFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")
LINK = re.compile(r"https?://[^/\s]+(/ar/membership/\d+/[\w-]+/(?:withdraw/)?)")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def _links(email):
    (message,) = [m for m in mail.outbox if email in m.to]
    paths = LINK.findall(message.body)
    answer = next(path for path in paths if not path.endswith("withdraw/"))
    withdraw = next(path for path in paths if path.endswith("withdraw/"))
    return answer, withdraw


def test_representative_consults_then_confirms_and_later_withdraws(page):
    chapter = ChapterFactory(
        country="JO",
        name_ar="فرع الأردن",
        name_en="Jordan chapter",
        membership_expectations_ar="متطلبات العضوية قليلة، ونؤكد على فرص القيادة.",
    )
    organiser = OrganiserFactory(chapter=chapter).user
    organisation = OrganisationFactory(
        name_ar="جمعيه الندي", name_en="Dew Association", website="https://dew.example"
    )
    ProspectFactory(chapter=chapter, organisation=organisation, stage="attended")
    representative = RepresentativeFactory(organisation=organisation, language="ar")
    initial_tasks.tasks_suggest(actor=organiser, chapter=chapter)
    mail.outbox.clear()
    membership_request(actor=organiser, chapter=chapter, organisations=[organisation])
    answer, withdraw = _links(representative.email)

    # The e-mailed link, no account: correct the name, then consult.
    page.goto(answer)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_text("متطلبات العضوية قليلة").wait_for()
    page.get_by_label("الاسم (العربية)").fill("جمعية الندى للتنمية")
    _shot(page, "membership-answer-ar.png")
    page.get_by_role("button", name="التشاور مع منظمتي").click()
    page.get_by_test_id("consulting").wait_for()
    assert Membership.objects.get(organisation=organisation).state == "consulting"

    # Later, the same link: confirm, with the consent, the role and a task.
    page.goto(answer)
    assert page.get_by_label("الاسم (العربية)").input_value() == "جمعية الندى للتنمية"
    page.get_by_label("تنسيق الاجتماع القادم").check()
    page.get_by_label("دوركم في المنظمة").fill("المديرة التنفيذية")
    page.get_by_label("أوافق على هذا النص.").check()
    page.get_by_role("button", name="التأكيد وإدراج منظمتي").click()
    page.get_by_test_id("membership-done").wait_for()
    _shot(page, "membership-done-ar.png")
    assert Membership.objects.get(organisation=organisation).state == "confirmed"
    assert Volunteering.objects.filter(
        organisation=organisation, task__key="next_meeting"
    ).exists()

    page.goto("/ar/countries/jo/")
    members = page.get_by_test_id("members")
    members.get_by_text("جمعية الندى للتنمية").wait_for()

    # The withdrawal link from the same e-mail.
    page.goto(withdraw)
    page.get_by_role("button", name="سحب عضوية منظمتي").click()
    page.get_by_test_id("membership-state").wait_for()
    assert Membership.objects.get(organisation=organisation).state == "withdrawn"
    page.goto("/ar/countries/jo/")
    assert (
        page.get_by_test_id("members").get_by_text("جمعية الندى للتنمية").count() == 0
    )
