"""Messages to invitees, each in the invitee's own language, with times in
the chapter's time zone: the invitation (with its calendar file), the
reminder, and the notices that the meeting moved, changed place or was
cancelled."""

import base64
import functools
import re
import secrets
from dataclasses import dataclass
from email import policy as email_policy

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from chapters import times
from chapters.languages import field_in_language
from chapters.tokens import checkin_code, token_new
from config.mail import (
    BIDI_CONTROLS,
    PortalEmail,
    email_message,
    email_render,
    site_domain,
)

from .checkin_codes import qr_png
from .ics import MeetingCalendar, meeting_ics
from .models import Invitation, Meeting
from .selectors import chapter_zone

MESSAGES = ("invitation", "reminder", "moved", "relocated", "cancelled")
QR_FILE = "checkin-code.png"


def checkin_cid() -> str:
    """The Content-ID of the check-in code's picture, the same in every
    message (it only has to be unique within one), on the site's domain."""
    return f"checkin-code@{site_domain()}"


def invitation_url(*, raw_token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("meetings:invitation", kwargs={"token": raw_token})
    return settings.SITE_URL + path


def reply_to(invitation: Invitation) -> list[str]:
    for candidate in (
        getattr(invitation.created_by, "email", ""),
        getattr(invitation.meeting.created_by, "email", ""),
        invitation.meeting.chapter.contact_email,
    ):
        if candidate:
            return [candidate]
    return []


def meeting_when(meeting: Meeting, language: str) -> dict:
    """Start and end as words in the language, in the chapter's time zone."""
    zone = chapter_zone(meeting.chapter)
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    with translation.override(language):
        return {
            "date": date_format(starts, "l j F Y"),
            "starts": date_format(starts, "H:i"),
            "ends": date_format(ends, "H:i"),
            # The zone named for people ("Amman time (UTC+3)"), and the whole
            # day and hours as every page shows them (chapters.times).
            "zone": times.zone_label(zone, starts),
            "text": times.local_range(starts, ends, zone),
        }


def _invitation_context(
    *,
    meeting: Meeting,
    message: str,
    language: str,
    name: str,
    link: str,
    unsubscribe_link: str,
    agenda: list,
    materials: list,
    code: str = "",
) -> dict:
    context = {
        "message": message,
        "invitation": {"name": name},
        "meeting": meeting,
        "title": field_in_language(meeting, "title", language)[0],
        "description": field_in_language(meeting, "description", language)[0],
        "city": field_in_language(meeting, "city", language)[0],
        "when": meeting_when(meeting, language),
        "agenda": [
            {
                "title": field_in_language(item, "title", language)[0],
                "minutes": item.duration_minutes,
                "presenter": item.presenter,
            }
            for item in agenda
        ],
        "link": link,
        "unsubscribe_link": unsubscribe_link,
        # The invitee's check-in code (chapters.tokens.checkin_code) and its
        # picture, attached inline (_email).
        "checkin_code": code,
        "checkin_cid": checkin_cid(),
    }
    with translation.override(language):
        context["materials"] = [
            {
                "title": material.title,
                "languages": material.languages_display,
                "url": f"{link}materials/{material.pk}/" if link else "",
            }
            for material in materials
        ]
    return context


def _calendar_mimetype(message: str) -> str:
    return "text/calendar; charset=utf-8; method=" + (
        "CANCEL" if message == "cancelled" else "PUBLISH"
    )


def _email(
    *,
    subject: str,
    text: str,
    html: str,
    ics: bytes | None,
    message: str,
    language: str,
    to: str,
    reply_to: list[str],
    unsubscribe_link: str,
    message_id: str | None,
    country: str,
    qr: bytes | None = None,
) -> PortalEmail:
    email = email_message(
        to=[to],
        subject=subject,
        text=text,
        html=html,
        language=language,
        unsubscribe=unsubscribe_link,
        reply_to=reply_to,
        headers={"Message-ID": message_id} if message_id else None,
        country=country,
        inline_images=[(checkin_cid(), QR_FILE, qr)] if qr is not None else None,
    )
    if ics is not None:
        email.attach("meeting.ics", ics, _calendar_mimetype(message))
    return email


def invitation_calendar(
    *, meeting: Meeting, message: str, language: str, link: str
) -> bytes | None:
    """The calendar file an invitee gets with `message` (none with a
    reminder), `link` being their personal link: attached to the e-mail,
    and the same file (UID, SEQUENCE) offered on their page."""
    if message == "reminder":
        return None
    return meeting_ics(
        meeting, language=language, url=link, cancelled=message == "cancelled"
    )


def invitation_email(
    *,
    invitation: Invitation,
    message: str,
    raw_token: str | None,
    agenda: list,
    materials: list,
    opt_out_link: str,
    message_id: str | None = None,
) -> PortalEmail:
    """One message rendered from scratch (the organiser's preview; the
    worker uses InvitationMailing, which gives the same e-mail faster)."""
    meeting = invitation.meeting
    language = invitation.language
    link = invitation_url(raw_token=raw_token, language=language) if raw_token else ""
    code = checkin_code(raw_token) if link and message != "cancelled" else ""
    context = _invitation_context(
        meeting=meeting,
        message=message,
        language=language,
        name=invitation.name,
        link=link,
        unsubscribe_link=opt_out_link,
        agenda=agenda,
        materials=materials,
        code=code,
    )
    subject, text, html = email_render(
        template="meetings_invitation", context=context, language=language
    )
    return _email(
        subject=subject,
        text=text,
        html=html,
        ics=invitation_calendar(
            meeting=meeting, message=message, language=language, link=link
        ),
        message=message,
        language=language,
        to=invitation.email,
        reply_to=reply_to(invitation),
        unsubscribe_link=opt_out_link,
        message_id=message_id,
        country=meeting.chapter.iso2,
        qr=qr_png(code) if code else None,
    )


def message_id(invitation: Invitation, message: str) -> str:
    """The same for every sending of one owed message (the invitation and
    its send generation), different for the next message owed, so that a
    message sent twice is recognisable at the receiving end. On the site's
    domain, as every portal Message-ID (config.mail.site_domain)."""
    return (
        f"<invitation-{invitation.pk}.{invitation.send_generation}.{message}"
        f"@{site_domain()}>"
    )


# Placeholders for the personal parts: letters and digits only, so that HTML
# escaping leaves them intact, and random, so that no meeting text holds one.
_MARK = secrets.token_hex(6)
NAME, LINK, UNSUBSCRIBE, CODE = (
    f"z{_MARK}{part}z" for part in ("name", "link", "unsub", "code")
)
# As long as a real token and as plain (PersonalCalendar needs both).
_TOKEN = f"z{_MARK}token".ljust(len(token_new()[0]), "z")
_TO = f"z{_MARK}to@to.invalid"
_MESSAGE_ID = f"<z{_MARK}mid@mid.invalid>"
# A URL, as the header takes (config.mail.OneLineHeader writes it as given,
# on one line), that the invitee's opt-out link then replaces.
_LIST_UNSUBSCRIBE = f"https://z{_MARK}listunsub.invalid/"
_BODY = f"z{_MARK}body"
_SLOTS = re.compile(
    "("
    + "|".join(
        re.escape(slot)
        for slot in (
            _TO,
            _MESSAGE_ID,
            _LIST_UNSUBSCRIBE,
            *(f"{_BODY}{n}z" for n in "0123"),
        )
    )
    + ")"
)
_PART_SLOT = {
    "text/plain": "0",
    "text/html": "1",
    "text/calendar": "2",
    "image/png": "3",
}


@dataclass
class PreparedEmail:
    """One invitee's message: `raw` is the exact bytes for an SMTP server
    (None when the address needs the general path, e.g. a non-ASCII
    domain); `email()` builds the same message as a Django EmailMessage for
    every other mail backend."""

    to: str
    message_id: str
    raw: bytes | None
    email: "functools.partial[PortalEmail]"


class InvitationMailing:
    """One kind of message (invitation, reminder, moved, cancelled) of one
    meeting in one language, from one Reply-To: rendered once, then filled
    in per invitee. The templates are rendered with placeholders for the
    three personal parts (name, personal link, opt-out link), the calendar
    file is built once (MeetingCalendar), and the MIME structure is made
    once by Django's own EmailMessage with placeholders for the recipient,
    the Message-ID, the opt-out header and the three bodies; each invitee's
    message is that skeleton with the values and base64 bodies put in.
    tests/meetings/test_sending_speed.py checks the result is the message
    invitation_email() builds from scratch."""

    def __init__(
        self,
        *,
        meeting: Meeting,
        message: str,
        language: str,
        agenda: list,
        materials: list,
        reply_to: list[str],
    ):
        self.message = message
        self.language = language
        self.reply_to = reply_to
        self.country = meeting.chapter.iso2
        context = _invitation_context(
            meeting=meeting,
            message=message,
            language=language,
            name=NAME,
            link=LINK if message != "cancelled" else "",
            unsubscribe_link=UNSUBSCRIBE,
            agenda=agenda,
            materials=materials,
            code=CODE if message != "cancelled" else "",
        )
        self.subject, self.text, self.html = email_render(
            template="meetings_invitation", context=context, language=language
        )
        self.calendar = None
        if message != "reminder":
            self.calendar = MeetingCalendar(
                meeting, language=language, cancelled=message == "cancelled"
            )
        self._skeleton = self._make_skeleton()
        # The personal link is this with the token put in (one reverse()).
        self._link = invitation_url(raw_token=_TOKEN, language=language)
        self._personal_calendar = None
        if self.calendar and message != "cancelled":
            self._personal_calendar = self.calendar.personal(
                url=self._link, slot=_TOKEN
            )

    def _make_skeleton(self) -> list[str | bytes] | None:
        if any(mark in self.subject for mark in (NAME, LINK, UNSUBSCRIBE, CODE)):
            return None  # a personal subject cannot be filled in afterwards
        email = _email(
            subject=self.subject,
            text=".",
            html=".",
            ics=b"." if self.calendar else None,
            message=self.message,
            language=self.language,
            to=_TO,
            reply_to=self.reply_to,
            unsubscribe_link=_LIST_UNSUBSCRIBE,
            message_id=_MESSAGE_ID,
            country=self.country,
            qr=b"." if self.message != "cancelled" else None,
        )
        mime = email.message(policy=email_policy.SMTP)
        for part in mime.walk():
            if part.is_multipart():
                continue
            del part["Content-Transfer-Encoding"]
            part["Content-Transfer-Encoding"] = "base64"
            part.set_payload(f"{_BODY}{_PART_SLOT[part.get_content_type()]}z")
        pieces: list[str | bytes] = []
        for number, piece in enumerate(_SLOTS.split(mime.as_bytes().decode("ascii"))):
            pieces.append(piece if number % 2 else piece.encode("ascii"))
        return pieces

    def prepare(
        self,
        *,
        invitation: Invitation,
        raw_token: str | None,
        opt_out_link: str,
    ) -> PreparedEmail:
        link = code = ""
        if raw_token and self.message != "cancelled":
            link = self._link.replace(_TOKEN, raw_token)
            code = checkin_code(raw_token)
        qr = qr_png(code) if code else None
        # The name as the isolate filter shows it in invitation_email().
        name = BIDI_CONTROLS.sub("", invitation.name)
        values = {NAME: name, LINK: link, UNSUBSCRIBE: opt_out_link, CODE: code}
        text, html = self.text, self.html
        for mark, value in values.items():
            text = text.replace(mark, value)
            html = html.replace(mark, escape(value))
        ics = None
        if link and self._personal_calendar:
            ics = self._personal_calendar.ics(raw_token)
        elif self.calendar:
            ics = self.calendar.ics(url=link)
        identifier = message_id(invitation, self.message)
        email = functools.partial(
            _email,
            subject=self.subject,
            text=text,
            html=html,
            ics=ics,
            message=self.message,
            language=self.language,
            to=invitation.email,
            reply_to=self.reply_to,
            unsubscribe_link=opt_out_link,
            message_id=identifier,
            country=self.country,
            qr=qr,
        )
        raw = None
        # A message owed a code but made without one (no link) has no
        # picture for the skeleton's slot: it takes the general path.
        fits = (qr is not None) == (self.message != "cancelled")
        if self._skeleton is not None and fits and _plain_address(invitation.email):
            slots = {
                _TO: invitation.email.encode("ascii"),
                _MESSAGE_ID: identifier.encode("ascii"),
                _LIST_UNSUBSCRIBE: opt_out_link.encode("ascii"),
                f"{_BODY}0z": _base64(_crlf(text)),
                f"{_BODY}1z": _base64(_crlf(html)),
                f"{_BODY}2z": _base64(ics) if ics else b"",
                f"{_BODY}3z": _base64(qr) if qr else b"",
            }
            raw = b"".join(
                slots[piece] if isinstance(piece, str) else piece
                for piece in self._skeleton
            )
        return PreparedEmail(
            to=invitation.email, message_id=identifier, raw=raw, email=email
        )


def _plain_address(address: str) -> bool:
    return address.isascii() and not any(c in address for c in '\r\n<>"(),;: ')


def _crlf(text: str) -> bytes:
    # Text in MIME's canonical form, as the email package encodes it.
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


def _base64(data: bytes) -> bytes:
    # Without its last line break: the skeleton has one after each body.
    return base64.encodebytes(data).replace(b"\n", b"\r\n")[:-2]


def whatsapp_text(*, invitation: Invitation, raw_token: str) -> str:
    meeting = invitation.meeting
    language = invitation.language
    when = meeting_when(meeting, language)
    link = invitation_url(raw_token=raw_token, language=language)
    with translation.override(language):
        return _(
            "Hello %(name)s, you are invited to %(title)s on %(date)s at "
            "%(time)s (%(zone)s). Details, materials and your answer: %(link)s"
        ) % {
            "name": invitation.name,
            "title": field_in_language(meeting, "title", language)[0],
            "date": when["date"],
            "time": when["starts"],
            "zone": when["zone"],
            "link": link,
        }


def minutes_url(*, raw_token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("meetings:invitation_minutes", kwargs={"token": raw_token})
    return settings.SITE_URL + path


def minutes_email(
    *, invitation: Invitation, raw_token: str, opt_out_link: str
) -> PortalEmail:
    """The minutes are published: a personal link to them, in the invitee's
    language."""
    meeting = invitation.meeting
    language = invitation.language
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "title": field_in_language(meeting, "title", language)[0],
        "date": meeting_when(meeting, language)["date"],
        "link": minutes_url(raw_token=raw_token, language=language),
        "unsubscribe_link": opt_out_link,
    }
    subject, text, html = email_render(
        template="meetings_minutes", context=context, language=language
    )
    return email_message(
        to=[invitation.email],
        subject=subject,
        text=text,
        html=html,
        language=language,
        unsubscribe=opt_out_link,
        reply_to=reply_to(invitation),
        country=meeting.chapter.iso2,
    )
