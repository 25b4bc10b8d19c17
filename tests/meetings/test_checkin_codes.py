"""Check-in codes: each invitation e-mail carries the invitee's code, as an
inline QR picture and as text; the invitee page shows it; at the door an
organiser of the chapter scans or types it and the invitee is checked in,
answered or not, once. The code is useless for anything else, and only its
digest is stored (docs/checkin-codes.md)."""

import email
import email.policy
import io
import re

import pytest
import zxingcpp
from django.core import mail
from django.core.cache import cache
from django.test import Client
from PIL import Image

from chapters.models import AuditEntry
from chapters.tokens import (
    checkin_code,
    checkin_code_read,
    checkin_digest,
    token_digest,
    token_new,
)
from meetings.checkin_codes import PNG_SCALE, QR_BORDER, QR_ERROR, qr_png
from meetings.models import Attendance, Invitation, InvitationLink
from meetings.services.invitations import invitation_revoke_links
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganiserFactory,
    RepresentativeFactory,
)
from tests.meetings.builders import recipients
from tests.urls import url

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+/(?:ar|en|fr)/invitation/([A-Za-z0-9_\-]{43})/")
CODE = re.compile(r"^([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _send(organiser, meeting, representatives, capture) -> dict:
    """Invite through the service; the worker (immediate in tests) sends.
    Returns {address: e-mail}."""
    from meetings.services.invitations import invitation_batch_create

    with capture(execute=True):
        invitation_batch_create(
            actor=organiser, meeting=meeting, recipients=recipients(representatives)
        )
    return {message.to[0]: message for message in mail.outbox}


@pytest.fixture
def sent(organiser, meeting, outreach, django_capture_on_commit_callbacks):
    """Three invitations sent by e-mail: {invitation: (link token, code)}."""
    by_address = _send(organiser, meeting, outreach, django_capture_on_commit_callbacks)
    found = {}
    for address, message in by_address.items():
        invitation = Invitation.objects.get(meeting=meeting, email=address)
        token = LINK.search(message.body).group(1)
        found[invitation] = (token, CODE.search(message.body).group(1))
    return found


def _scan(client, meeting, code, *, json=True):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        url("meetings:checkin_scan", "jo", meeting.pk),
        {"code": code},
        headers=headers,
    )


def test_the_code_in_the_email_checks_its_invitee_in(organiser_client, meeting, sent):
    invitation, (_token, code) = next(iter(sent.items()))
    assert invitation.status == Invitation.Status.SENT  # never answered
    response = _scan(organiser_client, meeting, code)
    assert response.status_code == 200
    answer = response.json()
    assert answer["outcome"] == "checked_in"
    assert answer["invitation"] == invitation.pk
    assert invitation.name in answer["message"]
    assert invitation.organisation_name in answer["message"]
    attendance = Attendance.objects.get(invitation=invitation)
    assert attendance.meeting == meeting
    assert AuditEntry.objects.filter(action="attendance.check_in").count() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT  # the answer is kept


def test_a_code_typed_in_lower_case_without_dashes_works_too(
    organiser_client, meeting, sent
):
    invitation, (_token, code) = next(iter(sent.items()))
    typed = code.replace("-", " ").lower().replace("0", "o")
    assert _scan(organiser_client, meeting, typed).json()["outcome"] == "checked_in"
    assert Attendance.objects.filter(invitation=invitation).exists()


def test_scanning_twice_makes_one_attendance_and_says_already(
    organiser_client, organiser, meeting, sent
):
    invitation, (_token, code) = next(iter(sent.items()))
    _scan(organiser_client, meeting, code)
    second = _scan(organiser_client, meeting, code)
    assert second.status_code == 200
    answer = second.json()
    assert answer["outcome"] == "already"
    assert "already" in answer["message"]
    # Who checked them in, named for the organiser at the door.
    assert (
        organiser.email in answer["message"]
        or organiser.get_full_name() in (answer["message"])
    )
    assert Attendance.objects.filter(invitation=invitation).count() == 1


def test_another_meetings_code_says_which_and_checks_nobody_in(
    organiser_client,
    organiser,
    chapter,
    meeting,
    sent,
    django_capture_on_commit_callbacks,
):
    later = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        title_en="Second meeting",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    _invitation, (_token, code) = next(iter(sent.items()))
    response = _scan(organiser_client, later, code)
    assert response.status_code == 409
    answer = response.json()
    assert answer["outcome"] == "other_meeting"
    assert meeting.title_en in answer["message"]
    assert answer["invitation"] is None
    assert not Attendance.objects.exists()


def test_another_chapters_code_names_nothing_of_it(client, meeting, sent):
    """An organiser of Egypt scanning a code of Jordan's meeting hears only
    that it is another chapter's: no meeting, no person."""
    egypt = ChapterFactory(country="EG")
    organiser = OrganiserFactory(chapter=egypt).user
    cairo = MeetingFactory(chapter=egypt, created_by=organiser)
    client.force_login(organiser)
    invitation, (_token, code) = next(iter(sent.items()))
    response = client.post(
        url("meetings:checkin_scan", "eg", cairo.pk),
        {"code": code},
        headers={"Accept": "application/json"},
    )
    answer = response.json()
    assert answer["outcome"] == "other_chapter"
    for private in (invitation.name, invitation.organisation_name, meeting.title_en):
        assert private not in answer["message"]
    assert not Attendance.objects.exists()


def test_the_link_token_is_not_a_check_in_code_and_the_code_opens_no_page(
    organiser_client, client, meeting, sent
):
    token, code = next(iter(sent.values()))
    response = _scan(organiser_client, meeting, token)
    assert response.status_code == 404
    assert response.json()["outcome"] == "unknown"
    assert not Attendance.objects.exists()
    for typed in (code, checkin_code_read(code)):
        page = client.get(url("meetings:invitation", typed))
        assert page.status_code == 404
    assert client.get(url("meetings:invitation", token)).status_code == 200


def test_a_revoked_links_code_is_refused(organiser_client, organiser, meeting, sent):
    invitation, (_token, code) = next(iter(sent.items()))
    invitation_revoke_links(actor=organiser, invitation=invitation)
    response = _scan(organiser_client, meeting, code)
    assert response.status_code == 404
    assert response.json()["outcome"] == "unknown"
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("typed", ["", "garbage", "0" * 24, "X" * 200, "١٢٣٤"])
def test_a_code_that_is_no_code_checks_nobody_in(organiser_client, meeting, typed):
    response = _scan(organiser_client, meeting, typed)
    assert response.status_code == 404
    assert response.json()["outcome"] == "unknown"
    assert not Attendance.objects.exists()


def test_a_network_that_keeps_missing_is_slowed(organiser_client, meeting, sent):
    _invitation, (_token, code) = next(iter(sent.items()))
    statuses = [
        _scan(organiser_client, meeting, f"WRONG-{n:04d}").status_code
        for n in range(25)
    ]
    assert statuses[0] == 404 and statuses[-1] == 429
    assert _scan(organiser_client, meeting, code).json()["outcome"] == "checked_in"


def test_without_javascript_the_form_checks_in_and_says_so_on_the_page(
    organiser_client, meeting, sent
):
    invitation, (_token, code) = next(iter(sent.items()))
    checkin = url("meetings:checkin", "jo", meeting.pk)
    response = _scan(organiser_client, meeting, code, json=False)
    assert response.status_code == 302
    assert response["Location"] == f"{checkin}#invitation-{invitation.pk}"
    page = organiser_client.get(checkin).content.decode()
    assert "was checked in" in page and invitation.name in page
    response = _scan(organiser_client, meeting, "nothing", json=False)
    assert response["Location"] == checkin
    assert (
        "unknown or no longer valid" in organiser_client.get(checkin).content.decode()
    )


def test_the_check_in_page_has_the_scanner_and_the_typed_code_form(
    organiser_client, meeting
):
    page = organiser_client.get(url("meetings:checkin", "jo", meeting.pk))
    html = page.content.decode()
    assert 'action="' + url("meetings:checkin_scan", "jo", meeting.pk) in html
    assert "/static/js/checkin-scan" in html
    # The decoder is named, not loaded: it comes only when the camera opens.
    assert 'data-decoder="/static/vendor/jsqr/jsQR' in html
    assert '<script src="/static/vendor/jsqr' not in html


def test_only_the_chapters_organisers_may_check_in_by_code(
    client, other_organiser_client, meeting, sent
):
    _invitation, (token, code) = next(iter(sent.items()))
    target = url("meetings:checkin_scan", "jo", meeting.pk)
    assert other_organiser_client.post(target, {"code": code}).status_code == 404
    anonymous = Client()
    response = anonymous.post(target, {"code": code})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # The invitee's own link does not make them an organiser either.
    assert Client().get(url("meetings:invitation", token)).status_code == 200
    assert not Attendance.objects.exists()


def test_the_database_holds_only_the_codes_digest(meeting, sent):
    for invitation, (token, code) in sent.items():
        link = InvitationLink.objects.get(invitation=invitation)
        assert link.digest == token_digest(token)
        assert link.checkin_digest == checkin_digest(code)
        assert link.checkin_digest == token_digest(code.replace("-", ""))
        row = str(InvitationLink.objects.filter(pk=link.pk).values().get())
        for secret in (token, code, code.replace("-", "")):
            assert secret not in row


def test_the_code_is_derived_from_the_link_for_this_purpose_only():
    raw, _digest = token_new()
    code = checkin_code(raw)
    assert CODE.fullmatch(code)
    assert checkin_code(raw) == code  # the e-mail and the page agree
    assert checkin_code(token_new()[0]) != code
    # Neither the link nor its digest is the code or leads to it.
    assert checkin_code_read(raw) is None
    assert checkin_digest(code) != token_digest(raw)


def test_the_email_carries_the_code_as_an_inline_picture_and_as_text(sent):
    for message in mail.outbox:
        _token, code = next(v for i, v in sent.items() if i.email == message.to[0])
        parsed = email.message_from_bytes(
            message.message().as_bytes(), policy=email.policy.default
        )
        related = next(
            part
            for part in parsed.walk()
            if part.get_content_type() == "multipart/related"
        )
        html_part, picture = related.get_payload()
        assert html_part.get_content_type() == "text/html"
        assert picture.get_content_type() == "image/png"
        assert picture.get_content_disposition() == "inline"
        content_id = picture["Content-ID"].strip("<>")
        html = html_part.get_content()
        assert f'src="cid:{content_id}"' in html
        assert code in html
        assert code in message.body  # the plain text, to type at the door
        # The picture is the code, as a phone's reader finds it in the pixels.
        assert picture.get_content() == qr_png(code)
        assert _read(picture.get_content()) == (code, "2", QR_ERROR)


def test_every_code_reads_back_from_its_picture_inside_its_quiet_zone():
    for _ in range(200):
        code = checkin_code(token_new()[0])
        png = qr_png(code)
        assert _read(png) == (code, "2", QR_ERROR)
        image = Image.open(io.BytesIO(png)).convert("L")
        # 25 modules and four light ones on each side, six pixels each.
        assert image.size == ((25 + 2 * QR_BORDER) * PNG_SCALE,) * 2
        inside = range(QR_BORDER * PNG_SCALE, (QR_BORDER + 25) * PNG_SCALE)
        assert all(
            image.getpixel((x, y)) == 255
            for x in range(image.width)
            for y in range(image.height)
            if x not in inside or y not in inside
        )


def _read(png: bytes) -> tuple[str, str, str]:
    """(text, version, error correction level) of the one QR code a reader
    finds in the picture."""
    found = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert len(found) == 1
    return found[0].text, found[0].extra["Version"], found[0].ec_level


def test_a_cancellation_carries_no_code(
    organiser, meeting, outreach, django_capture_on_commit_callbacks
):
    from meetings.services.meetings import meeting_cancel

    _send(organiser, meeting, outreach[:1], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=organiser, meeting=meeting)
    assert mail.outbox
    for message in mail.outbox:
        assert not CODE.search(message.body)
        parts = [p.get_content_type() for p in message.message().walk()]
        assert "image/png" not in parts


def test_the_invitee_page_shows_the_code_not_mirrored(client, sent):
    for invitation, (token, code) in sent.items():
        language = invitation.language
        html = client.get(url("meetings:invitation", token, language=language))
        html = html.content.decode()
        assert (
            f'dir="ltr" lang="zxx" translate="no" data-testid="checkin-code-text">{code}<'
            in html
        )
        assert '<svg role="img"' in html and 'class="checkin-qr"' in html
        assert "style=" not in html.split('<svg role="img"')[1].split("</svg>")[0]


def test_a_link_made_before_codes_existed_shows_no_code(client, meeting):
    invitation = InvitationFactory(meeting=meeting, status="sent")
    raw, digest = token_new()
    InvitationLink.objects.create(invitation=invitation, digest=digest)
    html = client.get(url("meetings:invitation", raw)).content.decode()
    assert invitation.name in html
    assert 'data-testid="checkin-code"' not in html


def test_a_whatsapp_link_carries_a_code_too(organiser, meeting):
    from meetings.services.invitations import invitation_whatsapp_url

    representative = RepresentativeFactory()
    invitation = InvitationFactory(
        meeting=meeting, email=representative.email, status="sent"
    )
    invitation_whatsapp_url(actor=organiser, invitation=invitation)
    link = InvitationLink.objects.get(invitation=invitation)
    assert link.channel == "whatsapp" and len(link.checkin_digest) == 64


def test_the_first_load_of_the_checkin_page_is_under_150_kb(
    organiser_client, meeting, sent
):
    """HTML, CSS, JS and every font face the stylesheets declare, compressed
    as served; the QR decoder (jsQR) comes only when the camera opens."""
    from tests.design.test_weight import BUDGET, first_load

    html = organiser_client.get(
        url("meetings:checkin", "jo", meeting.pk, language="ar")
    )
    sizes = first_load(html.content)
    assert "checkin-scan.js" in sizes and "jsQR.js" not in sizes, sizes
    print(sorted(sizes.items(), key=lambda item: -item[1]), sum(sizes.values()))
    assert sum(sizes.values()) < BUDGET, sizes
