"""The portal's languages, in one home: `settings.LANGUAGES` is the one list,
and everything else is derived from it here, so that adding a language is
one setting, one catalogue and one migration (its translated fields).

- `codes()`: the language codes, the site's default first as in settings.
- `Language`: the choices of every "language" field (an invitee's, a
  representative's, a consent's), members named after the language in
  English (`Language.ARABIC`, `Language.ENGLISH`).
- `field_in_language(obj, field, language)`: a translated content field
  (modeltranslation's `<field>_<code>`) in the language asked for, falling
  back to the others in the settings' order, with the language it is in.
- `localized(*fields)`: the columns of translated fields, in the settings'
  order (`localized("title")`: "title_" and each code), for
  forms, audit field lists and exports that never type a language.
- `name(code)`, `direction(code)`, `names_list(codes)`: a language's name in
  the active language, its writing direction, and "Arabic and English".
- `is_filled(values, field)`: a translated field has text in some language.
"""

from collections.abc import Iterable, Mapping

from babel.core import get_global
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def default() -> str:
    return settings.LANGUAGE_CODE


def open_graph_locale(code: str) -> str:
    """The language with its most likely territory, as Open Graph writes
    locales ("ar_EG", "fr_FR"), from CLDR's likely subtags."""
    likely = get_global("likely_subtags").get(code, code)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else code


def choices(language_codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) of the given languages (a chapter's), in the site's
    order; every site language when none are given. A person's language
    is chosen among their chapter's."""
    wanted = in_order(language_codes) if language_codes else codes()
    return [(code, name) for code, name in Language.choices if code in wanted]


def chapter_default() -> list[str]:
    """A new chapter's languages until it chooses: the site's default."""
    return [default()]


Language = models.TextChoices(
    "Language",
    {
        # Capitalised as a label ("Arabe"), lower case in sentences ("en arabe").
        LANG_INFO[code]["name"].upper(): (code, capfirst(name))
        for code, name in settings.LANGUAGES
    },
)
Language.__doc__ = "A language of the portal (settings.LANGUAGES)."


def field_in_language(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """(value, language it is in) of a modeltranslation field, preferring the
    given (or active) language and falling back to the others: the object's
    own languages first when it has them (a chapter's, its default first)."""
    language = language or get_language() or default()
    own = list(getattr(obj, "content_languages", None) or [])
    order = list(dict.fromkeys([language, *own, *codes()]))
    for code in order:
        value = getattr(obj, f"{field}_{code}", "") or ""
        if str(value).strip():
            return value, code
    return "", language


def localized(*fields: str) -> list[str]:
    """The modeltranslation columns of each field, field by field and the
    languages in the settings' order (the default language's first)."""
    return [f"{field}_{code}" for field in fields for code in codes()]


def name(code: str) -> str:
    """The language's name in the active language ("Arabic", "العربية")."""
    return str(dict(settings.LANGUAGES).get(code, code))


def self_name(code: str) -> str:
    """The language's name in itself ("العربية", "Français"), for links to
    a page in that language."""
    local = LANG_INFO.get(code, {}).get("name_local", code)
    return local[:1].upper() + local[1:]


def direction(code: str) -> str:
    return "rtl" if LANG_INFO.get(code, {}).get("bidi") else "ltr"


def names_list(language_codes: Iterable[str]) -> str:
    """The languages' names as one phrase: "Arabic", "Arabic and English",
    "Arabic, English and French" (in the settings' order)."""
    chosen = [name(code) for code in codes() if code in set(language_codes)]
    if len(chosen) < 2:
        return "".join(chosen)
    return gettext("%(first)s and %(last)s") % {
        # Translators: the separator between all but the last two languages.
        "first": gettext(", ").join(chosen[:-1]),
        "last": chosen[-1],
    }


def is_filled(values: Mapping, field: str) -> bool:
    """Whether a translated field has text in at least one language, in a
    form's cleaned data or any mapping of column to value."""
    return any(str(values.get(column) or "").strip() for column in localized(field))


def _label(label: str, code: str) -> str:
    return gettext("%(field)s (%(language)s)") % {
        "field": label,
        "language": name(code),
    }


label_in = lazy(_label, str)


def validate_codes(value) -> None:
    """A list of the site's language codes, at least one, none twice."""
    if (
        not isinstance(value, list)
        or not value
        or len(set(value)) != len(value)
        or any(code not in codes() for code in value)
    ):
        raise ValidationError(_("Choose at least one of the site's languages."))


def missing_in(field: str, language_codes: Iterable[str]) -> Q:
    """Rows whose translated field is empty in at least one of the given
    languages (a chapter's): the filter of "to translate" counts."""
    missing = Q()
    for code in language_codes:
        column = f"{field}_{code}"
        missing |= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return missing


def in_order(language_codes: Iterable[str]) -> list[str]:
    """The given codes that are site languages, in the settings' order."""
    wanted = set(language_codes)
    return [code for code in codes() if code in wanted]
