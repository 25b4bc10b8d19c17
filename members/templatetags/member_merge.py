"""The prospect page asks, without its view knowing, whether the outreach
list holds a likely duplicate of the organisation (members.merge)."""

from django import template

from ..merge import duplicates_on_list

register = template.Library()


@register.simple_tag
def likely_duplicates(prospect) -> list:
    return list(duplicates_on_list(prospect=prospect))
