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
    found = []
    for folder in ("chapters", "members", "meetings", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "demo" in path.stem:
                continue
            if relative.parts[:2] == ("config", "settings"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if TYPED_LIST.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
