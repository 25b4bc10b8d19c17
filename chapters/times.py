"""The one rule for showing a time to people: in the chapter's time zone,
named for people ("10:00 Amman time (UTC+3)", "10:00 بتوقيت عمّان (UTC+3)"),
never a raw identifier such as Asia/Amman and never UTC under a local label.

Zone names come from the Unicode CLDR through Babel, so every language the
site adds gets its city names without a hand-written list."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from . import languages

# Unicode isolates, so "(UTC+3)" keeps its order inside right-to-left text,
# in plain-text e-mails as on pages.
LRI, PDI = "\u2066", "\u2069"


def zone_city(zone: ZoneInfo, language: str | None = None) -> str:
    """The zone's city in the language ("عمّان", "Amman"); "UTC" for UTC."""
    if zone.key in ("UTC", "Etc/UTC"):
        return "UTC"
    language = language or translation.get_language() or languages.default()
    try:
        return get_timezone_location(zone.key, locale=language, return_city=True)
    except (LookupError, ValueError):
        return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(moment: datetime) -> str:
    """UTC+3, UTC+5:30, UTC-4, or UTC when the offset is zero, isolated."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if not minutes:
        return f"{LRI}UTC{PDI}"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    text = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{LRI}{text}{PDI}"


def zone_label(zone: ZoneInfo, moment: datetime | None = None) -> str:
    """The zone named for people, with its offset at that moment:
    "Amman time (UTC+3)"."""
    local = timezone.localtime(moment or timezone.now(), zone)
    return gettext("%(city)s time (%(offset)s)") % {
        "city": zone_city(zone),
        "offset": utc_offset(local),
    }


def local_time(moment: datetime, zone: ZoneInfo, *, date: bool = True) -> str:
    """A moment in the zone: "2 December 2026 · 10:00 Amman time (UTC+3)"
    (the date and time formatted for the active language)."""
    local = timezone.localtime(moment, zone)
    clock = gettext("%(time)s %(city)s time (%(offset)s)") % {
        "time": date_format(local, "H:i"),
        "city": zone_city(zone),
        "offset": utc_offset(local),
    }
    if not date:
        return clock
    return gettext("%(date)s · %(clock)s") % {
        "date": date_format(local, "j F Y"),
        "clock": clock,
    }


def local_range(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """A meeting's day and hours: "Wednesday 23 December 2026 · 10:00–13:00
    Amman time (UTC+3)". The hours are isolated left to right, so a range
    never reads "13:00–10:00" inside Arabic text, in e-mails as on pages."""
    start, end = timezone.localtime(starts, zone), timezone.localtime(ends, zone)
    hours = f"{LRI}{date_format(start, 'H:i')}–{date_format(end, 'H:i')}{PDI}"
    if start.date() != end.date():
        hours = (
            f"{LRI}{date_format(start, 'H:i')}{PDI} – "
            f"{date_format(end, 'l j F Y')} {LRI}{date_format(end, 'H:i')}{PDI}"
        )
    clock = gettext("%(time)s %(city)s time (%(offset)s)") % {
        "time": hours,
        "city": zone_city(zone),
        "offset": utc_offset(start),
    }
    return gettext("%(date)s · %(clock)s") % {
        "date": date_format(start, "l j F Y"),
        "clock": clock,
    }
