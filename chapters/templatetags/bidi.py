"""`{{ value|isolate }}`: text people typed, isolated from the sentence
around it (chapters/bidi.py): a <bdi> element in HTML, the isolate marks in
plain text, where a mail program has no markup."""

from django import template
from django.utils.html import conditional_escape, format_html

from chapters import bidi

register = template.Library()


@register.filter(needs_autoescape=True)
def isolate(value, autoescape=True):
    """The value in a <bdi> (HTML) or between isolate marks (plain text);
    nothing for an empty value."""
    if value in (None, ""):
        return ""
    if autoescape:
        return format_html("<bdi>{}</bdi>", conditional_escape(bidi.cleaned(value)))
    return bidi.isolated(value)
