"""{% local_time moment chapter %}, {% local_range starts ends chapter %},
{% local_date moment chapter %} and {% zone_label chapter %}: times as chapters.times shows them, in the
chapter's zone named for people; and {{ moment|machine_time }} for a
`<time datetime>` attribute."""

from datetime import UTC

from django import template
from django.utils import timezone

from chapters import times
from chapters.models import zone_or_utc

register = template.Library()


def _zone(chapter):
    return zone_or_utc(getattr(chapter, "time_zone", "") or "")


@register.simple_tag
def local_time(moment, chapter, date=True):
    if not moment:
        return ""
    return times.local_time(moment, _zone(chapter), date=date)


@register.simple_tag
def local_range(starts, ends, chapter):
    """A meeting's day and hours in the chapter's zone, named for people."""
    if not starts or not ends:
        return ""
    return times.local_range(starts, ends, _zone(chapter))


@register.simple_tag
def local_date(moment, chapter):
    """The day in the chapter's zone (not the server's)."""
    if not moment:
        return ""
    return times.local_day(moment, _zone(chapter))


@register.simple_tag
def zone_label(chapter, moment=None):
    return times.zone_label(_zone(chapter), moment)


@register.filter
def machine_time(moment) -> str:
    """A moment as HTML's `<time datetime>` takes it: UTC to the second
    ("2026-12-02T15:11:20Z"; Django's "c" format writes microseconds, which
    HTML does not allow)."""
    if not moment:
        return ""
    return timezone.localtime(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
