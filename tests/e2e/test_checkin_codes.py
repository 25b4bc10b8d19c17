"""Check-in by code at the door, on an organiser's phone (360 px), in Arabic
and English: the code of an invitee's e-mail, typed into the check-in page,
checks them in and the list shows it; the camera's path (the "checkin:code"
event the scanner dispatches for each code it reads) checks in another; the
same form works without JavaScript; and the QR picture of the e-mail is read
back as the code by the vendored decoder the page loads when the camera
opens."""

import base64
import email
import email.policy
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Attendance, Invitation
from meetings.services.invitations import invitation_batch_create
from tests.e2e.session import sign_in
from tests.factories import (
    ChapterFactory,
    MeetingFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
)
from tests.meetings.builders import recipients

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"^([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})$", re.MULTILINE)
PHONE = {"width": 360, "height": 740}


def _invited(count=2):
    """A meeting in ten days with `count` invitees who never answered,
    invited by e-mail; returns (organiser, meeting, [(invitation, e-mail)])."""
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    starts = timezone.now() + timedelta(days=10)
    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    people = []
    for name in ("سلمى حداد", "Omar Said")[:count]:
        prospect = ProspectFactory(chapter=chapter)
        people.append(
            RepresentativeFactory(
                organisation=prospect.organisation, chapter=chapter, name=name
            )
        )
    mail.outbox.clear()
    invitation_batch_create(
        actor=organiser, meeting=meeting, recipients=recipients(people)
    )
    sent = []
    for message in mail.outbox:
        invitation = Invitation.objects.get(meeting=meeting, email=message.to[0])
        sent.append((invitation, message))
    return organiser, meeting, sent


def _code(message) -> str:
    return CODE.search(message.body).group(1)


def _checkin_url(language, meeting) -> str:
    return f"/{language}/manage/jo/meetings/{meeting.pk}/checkin/"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_code_from_the_email_checks_its_invitee_in_on_a_phone(
    browser, live_server, language
):
    organiser, meeting, sent = _invited()
    context = browser.new_context(
        service_workers="block",
        base_url=live_server.url,
        locale=language,
        viewport=PHONE,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(context, organiser, live_server)
    page.goto(_checkin_url(language, meeting))
    # The camera's button is offered where a camera can be asked for.
    assert page.locator("[data-scan-start]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The vendored decoder is not part of the first load.
    assert page.evaluate("typeof window.jsQR") == "undefined"

    (first, first_mail), (second, second_mail) = sent
    # Typed as read off a printed e-mail: lower case, spaces for dashes.
    page.fill("#checkin-code", _code(first_mail).lower().replace("-", " "))
    page.locator("[data-scan-form] button[type=submit]").click()
    result = page.locator("[data-scan-result]")
    result.filter(has_text=first.name).wait_for()
    assert "alert-success" in result.get_attribute("class")
    assert result.get_attribute("aria-live") == "polite"
    row = page.locator(f"#invitation-{first.pk}")
    row.get_by_test_id("checked-in").wait_for()
    assert page.input_value("#checkin-code") == ""
    one_present = page.get_by_test_id("present-count").inner_text()
    assert Attendance.objects.filter(invitation=first).count() == 1

    # What the camera does with each code it reads.
    page.evaluate(
        """(code) => document.querySelector('[data-checkin-scan]').dispatchEvent(
            new CustomEvent('checkin:code', {detail: {code}}))""",
        _code(second_mail),
    )
    page.locator(f"#invitation-{second.pk}").get_by_test_id("checked-in").wait_for()
    assert second.name in result.inner_text()
    # The count as the server now says it ("two organisations", in words).
    assert page.get_by_test_id("present-count").inner_text() != one_present

    # Read again: said so, and still one attendance.
    page.evaluate(
        """(code) => document.querySelector('[data-checkin-scan]').dispatchEvent(
            new CustomEvent('checkin:code', {detail: {code}}))""",
        _code(second_mail),
    )
    page.locator("[data-scan-result].alert-info").wait_for()
    assert Attendance.objects.filter(invitation=second).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_without_javascript_the_typed_code_checks_in(browser, live_server):
    organiser, meeting, sent = _invited(count=1)
    context = browser.new_context(
        service_workers="block",
        base_url=live_server.url,
        locale="en",
        viewport=PHONE,
        java_script_enabled=False,
    )
    page = context.new_page()
    sign_in(context, organiser, live_server)
    page.goto(_checkin_url("en", meeting))
    assert not page.locator("[data-scan-start]").is_visible()
    ((invitation, message),) = sent
    page.fill("#checkin-code", _code(message))
    page.locator("[data-scan-form] button[type=submit]").click()
    page.wait_for_url(f"**{_checkin_url('en', meeting)}#invitation-{invitation.pk}")
    assert "was checked in" in page.locator("body").inner_text()
    row = page.locator(f"#invitation-{invitation.pk}")
    assert row.get_by_test_id("checked-in").is_visible()
    context.close()


def test_the_emails_qr_picture_reads_back_as_its_code(page, live_server):
    """The PNG the e-mail carries, decoded by jsQR in the browser (the
    decoder the check-in page loads for a camera without BarcodeDetector)."""
    organiser, meeting, sent = _invited(count=1)
    ((_invitation, message),) = sent
    parsed = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    png = next(p for p in parsed.walk() if p.get_content_type() == "image/png")
    data_url = "data:image/png;base64," + base64.b64encode(png.get_content()).decode()
    sign_in(page.context, organiser, live_server)
    page.goto(_checkin_url("en", meeting))
    decoder = page.get_attribute("[data-checkin-scan]", "data-decoder")
    page.add_script_tag(url=decoder)
    read = page.evaluate(
        """async (source) => {
            const image = new Image();
            image.src = source;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height);
            const found = window.jsQR(pixels.data, pixels.width, pixels.height);
            return found && found.data;
        }""",
        data_url,
    )
    assert read == _code(message)
