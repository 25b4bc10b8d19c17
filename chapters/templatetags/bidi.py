"""Text typed by people, isolated from the sentence around it.

A name or title in one script inside a sentence in another reorders its
neighbours: an English title ending in a full stop inside Arabic reads
".The Irbid network … visit", a Latin name before an Arabic colon jumps to
the other side. `{{ value|isolate }}` sets every such value apart: a <bdi>
element in HTML, the first-strong isolate marks (U+2068 … U+2069) in plain
text, where a mail program has no markup. Direction marks the person typed
that could leak out of the value are removed first.
"""

from django import template
from django.utils.html import conditional_escape, format_html

from config.mail import BIDI_CONTROLS

register = template.Library()

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


@register.filter(needs_autoescape=True)
def isolate(value, autoescape=True):
    """The value in a <bdi> (HTML) or between isolate marks (plain text);
    nothing for an empty value."""
    if value in (None, ""):
        return ""
    text = BIDI_CONTROLS.sub("", str(value))
    if autoescape:
        return format_html("<bdi>{}</bdi>", conditional_escape(text))
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
