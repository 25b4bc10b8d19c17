"""{% country_meetings chapter %}: the public meetings block of a country
page, so the chapters app shows meetings without importing this app's
models (it reads them only through meetings.selectors)."""

from django import template

from meetings.selectors import meetings_for_country_page

register = template.Library()


@register.inclusion_tag("meetings/country_meetings.html")
def country_meetings(chapter):
    meetings = meetings_for_country_page(chapter=chapter)
    return {**meetings, "chapter": chapter}
