"""The calendar file (.ics) attached to invitation e-mails. Times carry the
chapter's time zone (TZID plus a VTIMEZONE block), so a calendar program in
any zone shows the right moment; UID and SEQUENCE let a later "moved" or
"cancelled" file replace the earlier event. Each event has what RFC 5546
asks of a PUBLISH and a CANCEL: UID, DTSTAMP, DTSTART, SEQUENCE, SUMMARY and
the ORGANIZER (the chapter), with STATUS:CANCELLED on a cancellation."""

import functools
import re
from datetime import date
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vCalAddress, vText, vUri

from chapters.languages import field_in_language
from chapters.models import Chapter
from config.mail import site_domain

from .models import Meeting
from .selectors import chapter_zone


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_domain()}"


def organizer(chapter: Chapter, language: str) -> vCalAddress:
    """The chapter as the event's ORGANIZER (RFC 5546 requires one in a
    PUBLISH and a CANCEL): its public contact address, or the portal's
    sender when it has none, named in the calendar's language."""
    address = chapter.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    calendar_address = vCalAddress(f"mailto:{address}")
    name = " ".join(field_in_language(chapter, "name", language)[0].split())
    if name:
        calendar_address.params["cn"] = vText(name)
    return calendar_address


def version_stamp(meeting: Meeting):
    """DTSTAMP: when this version of the meeting was made (its last change),
    not when the file was written, so the e-mailed file and the one the
    invitee downloads later are the same bytes."""
    return meeting.updated_at or timezone.now()


class MeetingCalendar:
    """A meeting's calendar file in one language, built once and shared by
    every invitee: only the personal link (URL, and the description that
    ends with it) differs from one invitee to the next, so those lines are
    made per invitee and spliced in before END:VEVENT."""

    def __init__(self, meeting: Meeting, *, language: str, cancelled: bool = False):
        zone = chapter_zone(meeting.chapter)
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//CLD chapters//meetings//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
        event = icalendar.Event()
        event.add("uid", meeting_uid(meeting))
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", version_stamp(meeting))
        event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
        event.add("dtend", timezone.localtime(meeting.ends_at, zone))
        event.add("organizer", organizer(meeting.chapter, language))
        event.add("summary", field_in_language(meeting, "title", language)[0])
        location = meeting.venue_address or meeting.online_url
        if location:
            event.add("location", location)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(_vtimezone(zone.key, meeting.starts_at.year))
        calendar.add_component(event)
        whole = calendar.to_ical()
        cut = whole.rindex(b"END:VEVENT\r\n")
        self._head, self._tail = whole[:cut], whole[cut:]
        self._description = field_in_language(meeting, "description", language)[0]
        self._without_url = self._personal_lines(url="")

    def _personal_lines(self, *, url: str) -> bytes:
        # The two lines as icalendar writes them (escaped, folded at 75
        # octets), without building an Event per invitee.
        description = self._description
        lines = []
        if url:
            description = f"{description}\n\n{url}".strip()
        if description:
            lines.append(_line("DESCRIPTION", vText(description)))
        if url:
            lines.append(_line("URL", vUri(url)))
        return b"".join(lines)

    def ics(self, *, url: str = "") -> bytes:
        lines = self._personal_lines(url=url) if url else self._without_url
        return self._head + lines + self._tail

    def personal(self, *, url: str, slot: str) -> "PersonalCalendar":
        """The file for each invitee whose link is `url` with `slot` (a
        placeholder for the token) replaced, escaped and folded once."""
        return PersonalCalendar(self, url=url, slot=slot)


# Characters that icalendar neither escapes in a TEXT or URI value nor treats
# specially where it folds a line (it keeps a backslash or caret with the
# character after it).
_PLAIN = re.compile(r"[A-Za-z0-9_-]*")
_FOLD = b"\r\n "


class PersonalCalendar:
    """MeetingCalendar.ics(url=...) for links that differ only by a token.

    A token of the placeholder's length made of plain characters changes
    neither the escaping nor where the lines are folded, so the file made
    once with the placeholder is each invitee's file with the token's
    characters put in its place (where a fold falls inside the placeholder,
    it falls at the same place inside the token). Any other value takes the
    ordinary path. tests/meetings/test_sending_mailing.py checks both give
    the same bytes."""

    def __init__(self, calendar: MeetingCalendar, *, url: str, slot: str):
        self._calendar, self._url, self._slot = calendar, url, slot
        made = calendar.ics(url=url)
        folded_slot = re.compile(
            b"(?:\r\n )?".join(re.escape(bytes([byte])) for byte in slot.encode())
        )
        # Literal bytes, and for each placeholder the positions in it after
        # which a fold comes.
        self._pieces: list[bytes | tuple[int, ...]] = []
        end = 0
        for found in folded_slot.finditer(made):
            self._pieces.append(made[end : found.start()])
            cuts, position = [], 0
            for part in found.group().split(_FOLD)[:-1]:
                position += len(part)
                cuts.append(position)
            self._pieces.append(tuple(cuts))
            end = found.end()
        self._pieces.append(made[end:])
        expected = (
            calendar._personal_lines(url=url).replace(_FOLD, b"").count(slot.encode())
        )
        self._fast = (
            bool(slot)
            and _PLAIN.fullmatch(slot) is not None
            and len(self._pieces) == 2 * expected + 1
        )

    def ics(self, token: str) -> bytes:
        if not (
            self._fast and len(token) == len(self._slot) and _PLAIN.fullmatch(token)
        ):
            return self._calendar.ics(url=self._url.replace(self._slot, token))
        value = token.encode()
        out = []
        for piece in self._pieces:
            if isinstance(piece, bytes):
                out.append(piece)
                continue
            parts, start = [], 0
            for cut in piece:
                parts.append(value[start:cut])
                start = cut
            parts.append(value[start:])
            out.append(_FOLD.join(parts))
        return b"".join(out)


def _line(name: str, value) -> bytes:
    return Contentline.from_parts(name, Parameters(), value).to_ical() + b"\r\n"


def meeting_ics(
    meeting: Meeting, *, language: str, url: str = "", cancelled: bool = False
) -> bytes:
    return MeetingCalendar(meeting, language=language, cancelled=cancelled).ics(url=url)


@functools.cache
def _vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """The VTIMEZONE block of the zone around the meeting's year. Computing
    one walks the zone's transitions, so it is done once per zone and year
    and the (never modified) component is reused for every invitee."""
    return icalendar.Timezone.from_tzid(
        tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
    )
