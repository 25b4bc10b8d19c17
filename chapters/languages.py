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
"""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.utils.translation import get_language


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def default() -> str:
    return settings.LANGUAGE_CODE


Language = models.TextChoices(
    "Language",
    {
        LANG_INFO[code]["name"].upper(): (code, name)
        for code, name in settings.LANGUAGES
    },
)
Language.__doc__ = "A language of the portal (settings.LANGUAGES)."


def field_in_language(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """(value, language it is in) of a modeltranslation field, preferring the
    given (or active) language and falling back to the others."""
    language = language or get_language() or default()
    order = [language] + [code for code in codes() if code != language]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "") or ""
        if str(value).strip():
            return value, code
    return "", language
