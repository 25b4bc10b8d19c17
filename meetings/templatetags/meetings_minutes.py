"""Showing what people wrote in notes, ideas and decisions: plain text,
escaped, one <p dir="auto"> per paragraph so each paragraph takes its own
direction (an English sentence inside Arabic notes reads left to right), and
the language marked where the reader gets another one."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from chapters import languages
from chapters.languages import field_in_language

register = template.Library()

_BLANK_LINES = re.compile(r"\n\s*\n")


def _only_in(language: str) -> str:
    # Translators: the language's name, as in "written in English only".
    return gettext("written in %(language)s only") % {
        "language": languages.name(language)
    }


def _with_breaks(part: str) -> str:
    lines = part.split("\n")
    html = format_html("{}", lines[0])
    for line in lines[1:]:
        html = format_html("{}<br>{}", html, line)
    return html


@register.filter(is_safe=True)
def paragraphs(text) -> str:
    """Escaped text as paragraphs; single line breaks become <br>."""
    parts = [part.strip() for part in _BLANK_LINES.split(str(text or "").strip())]
    return format_html_join(
        "\n", '<p dir="auto">{}</p>', ((_with_breaks(p),) for p in parts if p)
    )


def _in_language(value: str, found: str, mark: str) -> str:
    body = paragraphs(value)
    if found == (get_language() or languages.default()):
        return format_html('<div class="written-text">{}</div>', body)
    return format_html(
        '<div class="written-text" lang="{}">{}</div>'
        '<p class="small text-body-secondary fallback-mark">({})</p>',
        found,
        body,
        mark,
    )


@register.simple_tag
def written(obj, field: str = "text") -> str:
    """A modeltranslation field in the reader's language, or in another
    one with its lang attribute and a visible mark."""
    if obj is None:
        return ""
    value, found = field_in_language(obj, field)
    if not str(value).strip():
        return ""
    return _in_language(str(value), found, _only_in(found))


@register.simple_tag
def contribution(idea) -> str:
    """An idea as its author wrote it, marked when in another language."""
    mark = gettext("in %(language)s") % {"language": languages.name(idea.language)}
    return _in_language(idea.text, idea.language, mark)
