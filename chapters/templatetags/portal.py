"""Template helpers for translated content: one rule for showing a
translated field (or its plain-data copy), falling back to another language
and marking it; and the portal's date filters, which write days, times and
zones as the page's language does (chapters.times, CLDR through Babel):

- `{{ chapter.launched_on|day }}`: "2 December 2026", "2 ديسمبر 2026";
- `{{ moment|day_in:chapter }}`: the day of a moment in the chapter's zone;
- `{{ moment|moment_in:chapter }}`: "2 December 2026, 10:00",
  "2 ديسمبر 2026، 10:00" in the chapter's zone;
- `{{ chapter|zone_name }}`: "Jordan Time", "توقيت الأردن".

`chapter` may also be a zone's name ("Asia/Amman"); never Django's `date`
filter with a format of our own, whose Latin comma and order follow no
language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, pgettext

from chapters import languages, times
from chapters.languages import codes, field_in_language, localized
from chapters.models import zone_or_utc

register = template.Library()


def _language_names() -> dict[str, str]:
    # Evaluated per call, in the active language: "in English", "بالعربية".
    return {
        code: gettext("in %(language)s") % {"language": name}
        for code, name in settings.LANGUAGES
    }


@register.simple_tag
def translated(obj, field: str):
    """Render obj.<field> in the page's language; when only the other
    language exists, show it with its lang attribute and a visible mark."""
    language = get_language()
    return _marked(*field_in_language(obj, field, language), language)


@register.simple_tag
def translated_text(texts):
    """The same for plain data ({code: text}, as cached pages keep it)."""
    language = get_language()
    for code in [language, *codes()]:
        if str(texts.get(code) or "").strip():
            return _marked(texts[code], code, language)
    return ""


@register.filter
def text_of(obj, field: str) -> str:
    """obj.<field> as plain text for attributes (a page's description): the
    same language `translated` shows, without the mark."""
    return field_in_language(obj, field, get_language())[0]


@register.filter
def has_text(obj, field: str) -> bool:
    """Whether obj.<field> has text in some language."""
    return any(
        str(getattr(obj, column, "") or "").strip() for column in localized(field)
    )


def _marked(value: str, found: str, language: str):
    if not value:
        return ""
    if found == language:
        return format_html('<span dir="auto">{}</span>', value)
    return format_html(
        '<span lang="{}" dir="auto">{}</span> '
        '<small class="fallback-mark text-body-secondary">({})</small>',
        found,
        value,
        _language_names()[found],
    )


@register.simple_tag
def missing_languages(obj, field: str, chapter=None) -> list[str]:
    """Codes of the chapter's languages in which obj.<field> is still empty:
    the chapter given, else the object's own (a task's, a meeting's, or its
    meeting's); every site language for an object of no chapter."""
    chapter = (
        chapter
        or getattr(obj, "chapter", None)
        or getattr(getattr(obj, "meeting", None), "chapter", None)
    )
    wanted = chapter.language_codes if chapter is not None else codes()
    return [
        code
        for code in wanted
        if not str(getattr(obj, f"{field}_{code}", "") or "").strip()
    ]


@register.filter
def colon(label) -> str:
    """A label followed by its colon as the page's language writes it (the
    catalogue's: French puts a narrow no-break space before it)."""
    return pgettext("a label followed by its colon", "%(label)s:") % {"label": label}


def _zone(chapter_or_zone):
    key = getattr(chapter_or_zone, "time_zone", chapter_or_zone)
    return zone_or_utc(key if isinstance(key, str) else "")


@register.filter
def day(value) -> str:
    """A date as the page's language writes it."""
    return times.format_day(value) if value else ""


@register.filter
def day_in(moment, chapter) -> str:
    """The day of a moment in the chapter's zone (not the server's)."""
    return times.local_day(moment, _zone(chapter)) if moment else ""


@register.filter
def moment_in(moment, chapter) -> str:
    """Day and hour of a moment in the chapter's zone."""
    return times.local_moment(moment, _zone(chapter)) if moment else ""


@register.filter
def zone_name(chapter) -> str:
    """The chapter's zone named for people, in the page's language."""
    return times.zone_name(_zone(chapter))


@register.simple_tag
def open_graph_locales() -> dict:
    """The page's Open Graph locale and its alternates, one per other site
    language."""
    current = get_language()
    return {
        "locale": languages.open_graph_locale(current),
        "alternates": [
            languages.open_graph_locale(code) for code in codes() if code != current
        ],
    }


@register.inclusion_tag("chapters/partials/language_notice.html")
def language_notice(chapter) -> dict:
    """When the page's language is not one the chapter publishes in: which
    ones it does, the one its texts are shown in, and the page in each."""
    current = get_language()
    if chapter.publishes_in(current):
        return {"shown": False}
    path = chapter.get_absolute_url()
    return {
        "shown": True,
        "published": languages.names_list(chapter.language_codes),
        "default": languages.name(chapter.default_language),
        "links": [
            {
                "code": code,
                "name": languages.self_name(code),
                "url": translate_url(path, code),
                "dir": languages.direction(code),
            }
            for code in chapter.content_languages
        ],
    }
