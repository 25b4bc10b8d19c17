"""Template filters for pages that show a translated field in every language
side by side (a merge, a possible duplicate, an import's rows), where
`{% translated %}` shows it in one. Generic: candidates for
chapters/templatetags/portal.py."""

from collections.abc import Mapping

from django import template

from chapters import languages

register = template.Library()


def _texts(obj, field: str) -> list[dict]:
    texts = []
    for code in languages.codes():
        column = f"{field}_{code}"
        if isinstance(obj, Mapping):
            value = obj.get(column)
        else:
            value = getattr(obj, column, "")
        texts.append(
            {
                "code": code,
                "language": languages.name(code),
                "direction": languages.direction(code),
                "text": str(value or "").strip(),
            }
        )
    return texts


@register.filter
def in_languages(obj, field: str) -> list[dict]:
    """obj.<field> (or obj["<field>_<code>"]) in every language, in the
    settings' order: [{code, language, direction, text}], text "" where
    missing."""
    return _texts(obj, field)


@register.filter
def given_in_languages(obj, field: str) -> list[dict]:
    """The same, only the languages it has text in."""
    return [text for text in _texts(obj, field) if text["text"]]
