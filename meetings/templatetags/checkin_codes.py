"""The invitee's check-in code on their page, reached through their personal
link: the code is derived from the link's raw token, which only this request
holds (meetings.checkin_codes)."""

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..checkin_codes import code_of_link, qr_svg

register = template.Library()


@dataclass(frozen=True)
class ShownCode:
    code: str
    picture: SafeString


@register.simple_tag
def checkin_code_for(token: str, meeting) -> ShownCode | None:
    """The code and its QR picture while the meeting is still to come (or
    under way) and the link carries a code; None otherwise."""
    if meeting.is_closed or meeting.is_past:
        return None
    code = code_of_link(token)
    if code is None:
        return None
    label = gettext("QR code for checking in")
    return ShownCode(code=code, picture=qr_svg(code, label=label))
