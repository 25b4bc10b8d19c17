"""The one rule for showing a time to people: in the chapter's time zone,
named for people ("10:00 Amman time (UTC+3)", "10:00 بتوقيت عمّان (UTC+3)"),
never a raw identifier such as Asia/Amman and never UTC under a local label;
dates and times written as the language writes them ("2 December 2026,
10:00", "2 ديسمبر 2026، 10:00": the Arabic comma, no Latin one).

Zone names, month and weekday names and the order of the parts come from
the Unicode CLDR through Babel, so every language the site adds gets them
without a hand-written list. A zone on its own is named after its country,
as CLDR names it ("Jordan Time", "توقيت الأردن"; a country with several
zones adds the city: "Palestinian Territories (Gaza) Time"); beside an hour
it is named after its city, as people say it ("10:00 Amman time")."""

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton, get_timezone_location
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries

from . import languages

# Unicode isolates, so "(UTC+3)" keeps its order inside right-to-left text,
# in plain-text e-mails as on pages.
LRI, PDI = "\u2066", "\u2069"
UTC_KEYS = ("UTC", "Etc/UTC")


def _language(language: str | None) -> str:
    return language or translation.get_language() or languages.default()


@cache
def cldr_locale(language: str) -> Locale:
    """The CLDR locale of a site language: its variant for the whole world
    when CLDR has one, else the language itself. CLDR's plain English is the
    United States' ("December 2, 2026", "10:00 AM"); its world English
    ("en_001") writes "2 December 2026" like the rest of the portal."""
    for name in (f"{language}_001", language):
        try:
            return Locale.parse(name.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(languages.default())


# Dates and times -----------------------------------------------------------------


def format_day(
    value: date | datetime, *, language: str | None = None, weekday: bool = False
) -> str:
    """A day as the language writes it: "2 December 2026", "2 ديسمبر 2026";
    with the weekday "Wednesday, 2 December 2026", "الأربعاء، 2 ديسمبر 2026".
    A moment must already be in the zone it is shown in (local_day)."""
    if isinstance(value, datetime):
        value = value.date()
    locale = cldr_locale(_language(language))
    return format_date(value, "full" if weekday else "long", locale=locale)


def format_clock(moment: datetime, *, language: str | None = None) -> str:
    """The hour on a 24-hour clock, the portal's one clock in every language
    ("10:00", "18:30")."""
    return format_skeleton("Hm", moment, locale=cldr_locale(_language(language)))


def local_day(moment: datetime, zone: ZoneInfo, **options) -> str:
    """The day of a moment in the zone (not the server's)."""
    return format_day(timezone.localtime(moment, zone), **options)


def local_moment(
    moment: datetime, zone: ZoneInfo, *, language: str | None = None
) -> str:
    """Day and hour in the zone, joined as the language joins them:
    "2 December 2026, 10:00", "2 ديسمبر 2026، 10:00"."""
    local = timezone.localtime(moment, zone)
    locale = cldr_locale(_language(language))
    glue = str(locale.datetime_formats["long"])
    return glue.replace("{1}", format_day(local, language=language)).replace(
        "{0}", format_clock(local, language=language)
    )


# Zones -------------------------------------------------------------------------


def is_utc(zone: ZoneInfo) -> bool:
    return zone.key in UTC_KEYS


def zone_city(zone: ZoneInfo, language: str | None = None) -> str:
    """The zone's city in the language ("عمّان", "Amman"); "UTC" for UTC."""
    if is_utc(zone):
        return "UTC"
    try:
        return get_timezone_location(
            zone.key, locale=cldr_locale(_language(language)), return_city=True
        )
    except (LookupError, ValueError):
        return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def zone_name(zone: ZoneInfo, language: str | None = None) -> str:
    """The zone named for people after its country: "Jordan Time",
    "توقيت الأردن"; "Coordinated Universal Time" for UTC."""
    if is_utc(zone):
        with translation.override(_language(language)):
            return gettext("Coordinated Universal Time")
    try:
        return get_timezone_location(zone.key, locale=cldr_locale(_language(language)))
    except (LookupError, ValueError):
        return zone_city(zone, language)


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
    "Jordan Time (UTC+3)", "توقيت الأردن (UTC+3)"."""
    local = timezone.localtime(moment or timezone.now(), zone)
    return gettext("%(zone)s (%(offset)s)") % {
        "zone": zone_name(zone),
        "offset": utc_offset(local),
    }


@cache
def _known_zones() -> frozenset[str]:
    # Read from disk once per process (a few milliseconds each time otherwise).
    return frozenset(available_timezones())


def country_zones(country: str) -> list[str]:
    """The zones CLDR gives a country (ISO 3166 code), as this system's tz
    database names them."""
    zones = get_global("territory_zones").get(str(country or "").upper(), [])
    return [key for key in zones if key in _known_zones()]


def zone_country(key: str) -> str:
    """The country (ISO 3166 code) of a zone, "" for UTC and unknown ids."""
    code = get_global("zone_territories").get(key, "") if key else ""
    # CLDR files the zones of no country under "ZZ" (unknown region).
    return code if len(code) == 2 and code.isalpha() and code != "ZZ" else ""


def zone_choices(
    *,
    country: str = "",
    other_countries=(),
    current: str = "",
    moment: datetime | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The zones a chapter may choose, labelled in the active language and
    grouped as Django's grouped choices: first its own country's, then the
    other countries' where the movement works, then UTC. The current zone is
    always offered, so saving a form never drops it."""
    moment = moment or timezone.now()

    def options(keys) -> list[tuple[str, str]]:
        zones = [ZoneInfo(key) for key in dict.fromkeys(keys)]
        zones.sort(
            key=lambda zone: (timezone.localtime(moment, zone).utcoffset(), zone.key)
        )
        return [(zone.key, zone_label(zone, moment)) for zone in zones]

    country = str(country or "").upper()
    own = country_zones(country)
    elsewhere = [
        key
        for code in sorted({str(code).upper() for code in other_countries} - {country})
        for key in country_zones(code)
        if key not in own
    ]
    # A zone chosen before (from the full list, or the admin) that none of
    # these countries has, under its own country's name.
    kept = []
    if current in _known_zones() and current not in {*own, *elsewhere, *UTC_KEYS}:
        kept = [(str(countries.name(zone_country(current))) or current, [current])]
    groups = [
        (str(countries.name(country)), own),
        *kept,
        (gettext("Other countries of the movement"), elsewhere),
        (gettext("Universal time"), ["UTC"]),
    ]
    return [(label, options(keys)) for label, keys in groups if keys]


# A time in a zone ----------------------------------------------------------------


def local_time(moment: datetime, zone: ZoneInfo, *, date: bool = True) -> str:
    """A moment in the zone: "2 December 2026 · 10:00 Amman time (UTC+3)"
    (the date and time formatted for the active language)."""
    local = timezone.localtime(moment, zone)
    clock = gettext("%(time)s %(city)s time (%(offset)s)") % {
        "time": format_clock(local),
        "city": zone_city(zone),
        "offset": utc_offset(local),
    }
    if not date:
        return clock
    return gettext("%(date)s · %(clock)s") % {
        "date": format_day(local),
        "clock": clock,
    }


def local_range(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """A meeting's day and hours: "Wednesday, 23 December 2026 · 10:00–13:00
    Amman time (UTC+3)". The hours are isolated left to right, so a range
    never reads "13:00–10:00" inside Arabic text, in e-mails as on pages."""
    start, end = timezone.localtime(starts, zone), timezone.localtime(ends, zone)
    hours = f"{LRI}{format_clock(start)}–{format_clock(end)}{PDI}"
    if start.date() != end.date():
        hours = (
            f"{LRI}{format_clock(start)}{PDI} – "
            f"{format_day(end, weekday=True)} {LRI}{format_clock(end)}{PDI}"
        )
    clock = gettext("%(time)s %(city)s time (%(offset)s)") % {
        "time": hours,
        "city": zone_city(zone),
        "offset": utc_offset(start),
    }
    return gettext("%(date)s · %(clock)s") % {
        "date": format_day(start, weekday=True),
        "clock": clock,
    }
