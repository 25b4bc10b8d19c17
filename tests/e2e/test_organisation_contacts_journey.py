"""A representative reads their organisation's contacts on their profile, in
Arabic (right to left) and English, and corrects their own details."""

import os

import pytest

from members.models import Representative
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_representative_reads_and_corrects_the_organisation_contacts(page, live_server):
    jordan = ChapterFactory(country="JO", name_ar="فرع الأردن", name_en="Jordan")
    egypt = ChapterFactory(country="EG", name_ar="فرع مصر", name_en="Egypt")
    organisation = OrganisationFactory(
        name_ar="الإغاثة الدولية", name_en="International Relief", country="JO"
    )
    for chapter in (jordan, egypt):
        ProspectFactory(chapter=chapter, organisation=organisation)
    user = UserFactory(email="amal@ngo.example")
    RepresentativeFactory(
        organisation=organisation,
        chapter=jordan,
        user=user,
        name="أمل حداد",
        email="amal@ngo.example",
        role="المديرة التنفيذية",
    )
    # A colleague Jordan collected: the account was linked in Jordan, so
    # Jordan's contacts are the ones it sees.
    RepresentativeFactory(
        organisation=organisation,
        chapter=jordan,
        is_primary=False,
        name="Basma Nour",
        email="basma@ngo.example",
        role="Programme officer",
        language="en",
    )
    sign_in(page.context, user, live_server)

    page.goto(f"/ar/my/organisations/{organisation.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    contacts = page.locator('[data-testid="profile-contacts"]')
    assert contacts.get_by_text("جهات الاتصال في منظمتكم").is_visible()
    assert page.locator('[data-testid="profile-contact"]').count() == 2
    assert contacts.get_by_text("basma@ngo.example").is_visible()
    _shot(page, "profile-contacts-ar.png")

    page.goto(f"/en/my/organisations/{organisation.pk}/")
    form = page.locator('[data-testid="own-contact-form"]')
    form.get_by_label("Role in the organisation").fill("Executive director")
    form.get_by_label("Phone").fill("07 9123 4567")
    form.get_by_role("button", name="Save my contact details").click()
    assert page.get_by_text("Your contact details were saved.").is_visible()
    assert contacts.get_by_text("Executive director").is_visible()
    _shot(page, "profile-contacts-en.png")
    own = Representative.objects.get(user=user)
    assert (own.role, own.phone) == ("Executive director", "+962791234567")
