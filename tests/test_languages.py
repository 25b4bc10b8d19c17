"""The languages have one home: settings.LANGUAGES, from which
chapters/languages.py derives everything else, so that adding a language is
one setting, one catalogue and one migration."""

import re
from pathlib import Path

from django.conf import settings

from chapters import languages
from meetings.models import Invitation
from members.models import Representative

ROOT = Path(settings.BASE_DIR)
# A list of the languages typed by hand: "ar" and "en" side by side.
TYPED_LIST = re.compile(r"""["']ar["']\s*,\s*["']en["']|["']en["']\s*,\s*["']ar["']""")
# One language named by hand: a code ("ar", "ar_en") or a translated column
# ("title_en", obj.name_ar, name_ar=...).
CODES = "|".join(code for code, _name in settings.LANGUAGES)
TYPED_LANGUAGE = re.compile(
    rf"""["'](?:{CODES})(?:_(?:{CODES}))*["']"""
    rf"""|["']\w+_(?:{CODES})["']|\.\w+_(?:{CODES})\b|\b\w+_(?:{CODES})\s*="""
)
# What is about a script, not a list of languages: Arabic letters typed mean
# the text is Arabic (one function each, saying so).
SCRIPT_RULES = {
    "meetings/services/texts.py",
}


def _app_code():
    """Every line of the apps' code: settings, migrations and demo content
    aside."""
    for folder in ("chapters", "members", "meetings", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "demo" in path.stem:
                continue
            if relative.parts[:2] == ("config", "settings"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                yield relative, number, line


def test_every_language_list_is_the_settings_one():
    codes = [code for code, _name in settings.LANGUAGES]
    assert languages.codes() == codes
    assert list(languages.Language.values) == codes
    assert list(settings.MODELTRANSLATION_LANGUAGES) == codes
    for field in (
        Representative._meta.get_field("language"),
        Invitation._meta.get_field("language"),
    ):
        assert [code for code, _label in field.choices] == codes
        assert field.get_default() == settings.LANGUAGE_CODE


def test_the_fallback_of_a_content_field_follows_the_settings_order():
    class Item:
        title_ar = ""
        title_en = "Only in English"

    assert languages.field_in_language(Item(), "title", "ar") == (
        "Only in English",
        "en",
    )


def test_no_module_types_its_own_list_of_languages():
    """Settings, migrations and demo content aside, no code lists the
    languages by hand."""
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, number, line in _app_code()
        if TYPED_LIST.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_module_names_a_language_or_its_column_by_hand():
    """Adding French must not need an edit in the apps: no code names one
    language or one language's column ("title_en"); it takes them from
    chapters/languages.py (`codes()`, `default()`, `localized("title")`)."""
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, number, line in _app_code()
        if str(relative) not in SCRIPT_RULES
        and not line.lstrip().startswith("#")
        and TYPED_LANGUAGE.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_rule_catches_a_language_typed_by_hand():
    for line in (
        'fields = ["title_ar"]',
        "x = obj.name_en",
        'language="ar"',
        "Q(name_en=k)",
    ):
        assert TYPED_LANGUAGE.search(line), line
    for line in ('fields = [*localized("title")]', "getattr(obj, f'name_{code}')"):
        assert not TYPED_LANGUAGE.search(line), line
