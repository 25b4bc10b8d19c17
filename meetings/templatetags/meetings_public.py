"""{% country_meetings chapter %}: the public meetings block of a country
page, so the chapters app shows meetings without importing this app's
models (it reads them only through meetings.selectors)."""

from django import template
from django.utils import timezone

from meetings.selectors import chapter_zone, meetings_for_country_page

register = template.Library()


@register.inclusion_tag("meetings/country_meetings.html")
def country_meetings(chapter):
    meetings = meetings_for_country_page(chapter=chapter)
    zone = chapter_zone(chapter)
    for meeting in meetings["upcoming"] + meetings["past"]:
        meeting.local_start = timezone.localtime(meeting.starts_at, zone)
    return {**meetings, "chapter": chapter, "zone": zone.key}
