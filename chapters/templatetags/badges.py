"""{% status_badge kind value label %}: a status, in the tone that
chapters/badges.py gives it, the same on every page.

    {% status_badge "chapter_status" chapter.status chapter.get_status_display %}
    {% status_badge "invitation_status" invitation.status invitation.get_status_display %}
    {% status_badge "invitation_status" value label count=3 %}  {# a tally: "Sent 3" #}

{% flag_badge tone label %}: the same shape for a mark that is not a stored
status ("gone quiet"), its tone named in the template.
"""

from django import template
from django.template.loader import render_to_string

from chapters import badges

register = template.Library()


@register.simple_tag
def status_badge(kind: str, value: str, label, count=None, testid: str = ""):
    """`count`, when given, is shown in the badge after the label: how many
    things are in that status (a meeting's invitations by status)."""
    return render_to_string(
        "chapters/partials/status_badge.html",
        {
            "kind": kind,
            "value": value,
            "label": label,
            "tone": badges.tone(kind, value),
            "count": count,
            "testid": testid,
        },
    )


@register.simple_tag
def flag_badge(tone: str, label, testid: str = ""):
    """A mark that is not a stored status ("gone quiet", "missing in
    English"), in the same shape as the status badges; the tone is named
    by the template (one of badges.Tone)."""
    return render_to_string(
        "chapters/partials/status_badge.html",
        {"label": label, "tone": badges.Tone(tone), "testid": testid},
    )
