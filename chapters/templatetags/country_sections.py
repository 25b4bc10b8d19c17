"""{% country_page_sections chapter %}: the sections the apps above chapters
add to a country page (the extension point `country_page_sections`, for
instance the meetings app's public meetings), in their order. Needs only
`chapter`."""

from django import template
from django.utils.html import format_html_join

from chapters import extensions

register = template.Library()


@register.simple_tag
def country_page_sections(chapter):
    return format_html_join(
        "",
        "{}",
        (
            (section.render(chapter),)
            for section in extensions.country_page_sections.all()
        ),
    )
