"""Check-in codes: the reads and pictures around them (the rule that makes
a code is chapters.tokens.checkin_code; checking in by code is
services.attendance.attendance_check_in_by_code; docs/checkin-codes.md).

A personal link made from a raw token (the e-mail's, the WhatsApp share)
stores the digest of its code; the code is shown where the raw token is at
hand (the e-mail as the worker renders it, the invitee page reached through
the link) and found again at the door by that digest alone."""

import io

import segno
import zxingcpp
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from PIL import Image

from chapters.tokens import (
    checkin_code,
    checkin_code_read,
    checkin_digest,
    token_digest,
)

from .models import InvitationLink

# The QR code's own settings, the same in the e-mail and on the page: a code
# is always 29 characters of the QR code's alphanumeric set, which at error
# correction level Q (a quarter of the symbol can be lost: a scratched screen,
# a crumpled print-out) fill a version 2 symbol, 25 modules square; the quiet
# zone of four modules is the standard's.
QR_ERROR = "Q"
QR_BORDER = 4
# Pixels per module of the e-mail's picture: 33 modules make 198 px.
PNG_SCALE = 6


def link_checkin_digest(raw_link: str) -> str:
    """What a new personal link stores beside its own digest."""
    return checkin_digest(checkin_code(raw_link))


def link_by_code(typed: str) -> InvitationLink | None:
    """The unrevoked personal link whose check-in code was typed or
    scanned (one indexed equality on the digest), with its invitee and
    meeting; None for anything else, a link token included."""
    read = checkin_code_read(typed)
    if read is None:
        return None
    return (
        InvitationLink.objects.select_related(
            "invitation__meeting__chapter", "invitation__attendance"
        )
        .filter(checkin_digest=token_digest(read), revoked_at__isnull=True)
        .first()
    )


def code_of_link(raw_link: str) -> str | None:
    """The check-in code of the personal link that opened a page, when that
    link carries one (a link made before codes existed does not)."""
    if not raw_link:
        return None
    code = checkin_code(raw_link)
    carries = InvitationLink.objects.filter(
        digest=token_digest(raw_link),
        checkin_digest=checkin_digest(code),
        revoked_at__isnull=True,
    ).exists()
    return code if carries else None


def _qr(code: str) -> segno.QRCode:
    return segno.make_qr(code, error=QR_ERROR)


def qr_png(code: str) -> bytes:
    """The code as a black-on-white PNG for the e-mail (a few hundred bytes).
    Drawn by zxing-cpp, whose encoder (Zint's, in C++) chooses the mask by
    the standard's penalty rules in a tenth of a millisecond: segno's choice,
    in Python, was most of the sending worker's time per e-mail."""
    symbol = zxingcpp.create_barcode(
        code, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR
    )
    pixels = symbol.to_image(scale=PNG_SCALE, add_quiet_zones=True)
    height, width = pixels.shape
    picture = Image.frombuffer("L", (width, height), bytes(pixels), "raw", "L", 0, 1)
    out = io.BytesIO()
    picture.convert("1").save(out, format="PNG")
    return out.getvalue()


def qr_svg(code: str, *, label: str) -> SafeString:
    """The code as an inline SVG for a page: drawn on its own white ground
    (dark themes), sized by the stylesheet (.checkin-qr), no style attribute
    (the CSP allows none), and named for screen readers by `label`."""
    svg = _qr(code).svg_inline(
        scale=1,
        border=QR_BORDER,
        omitsize=True,
        dark="#000",
        light="#fff",
        svgclass="checkin-qr",
        lineclass=None,
    )
    # segno writes `<svg ...>`: the picture is named, and not read out as
    # the path it is drawn with.
    named = svg.replace(
        "<svg ", format_html('<svg role="img" aria-label="{}" ', label), 1
    )
    return mark_safe(named)  # noqa: S308 # nosec B308 B703 # segno's markup; label escaped
