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

from chapters.templatetags.portal import field_in_language

from .models import Meeting
from .selectors import chapter_zone


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "cld-chapters"
    return f"meeting-{meeting.pk}@{host}"


def meeting_ics(
    meeting: Meeting, *, language: str, url: str = "", cancelled: bool = False
) -> bytes:
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
    description = field_in_language(meeting, "description", language)[0]
    if url:
        description = f"{description}\n\n{url}".strip()
        event.add("url", url)
    if description:
        event.add("description", description)
    location = meeting.venue_address or meeting.online_url
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(_vtimezone(zone.key, meeting.starts_at.year))
    calendar.add_component(event)
    return calendar.to_ical()


@functools.cache
def _vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """The VTIMEZONE block of the zone around the meeting's year. Computing
    one walks the zone's transitions, so it is done once per zone and year
    and the (never modified) component is reused for every invitee."""
    return icalendar.Timezone.from_tzid(
        tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
    )
