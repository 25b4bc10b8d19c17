"""Template helpers for bilingual content: one rule for showing a translated
field, falling back to the other language and marking it."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from chapters.languages import field_in_language

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
    value, found = field_in_language(obj, field, language)
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
def missing_languages(obj, field: str) -> list[str]:
    """Codes of the languages in which obj.<field> is still empty."""
    return [
        code
        for code, _ in settings.LANGUAGES
        if not str(getattr(obj, f"{field}_{code}", "") or "").strip()
    ]
