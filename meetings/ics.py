"""The calendar file (.ics) attached to invitation e-mails. Times carry the
chapter's time zone (TZID plus a VTIMEZONE block), so a calendar program in
any zone shows the right moment; UID and SEQUENCE let a later "moved" or
"cancelled" file replace the earlier event."""

import functools
from datetime import date
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vText, vUri

from chapters.templatetags.portal import field_in_language

from .models import Meeting
from .selectors import chapter_zone


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "cld-chapters"
    return f"meeting-{meeting.pk}@{host}"


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
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
        event.add("dtend", timezone.localtime(meeting.ends_at, zone))
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
