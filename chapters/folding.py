"""The one folding rule for search and for duplicate keys: what people type
differently for the same word (case, width, Arabic letter variants and
diacritics, Latin accents, punctuation) is folded away, words separated by
one space.

A searchable row stores `search_text`: its folded words, one part per field
joined by SEPARATOR (which folding never produces, so a query cannot match
across two fields). A search is then `search_text__contains=fold(query)`,
served on PostgreSQL by a trigram index (pg_trgm), and on SQLite by a scan.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable

from django.utils import translation
from django_countries.fields import Country

from . import languages

# Arabic letters written in several ways for the same word.
_ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,  # tatweel, the stretching stroke
    }
)
# Harakat, shadda, sukun, superscript alef and Quranic marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_NOT_WORD = re.compile(r"[\W_]+")
# Latin letters with accents, typed with or without them ("Réseau",
# "Reseau"): their accents are dropped. Arabic letters keep their hamza.
_LATIN_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")

SEPARATOR = " | "
# Longer queries are cut: nobody types a name this long, and it bounds
# what a query can cost (and the keys of cached answers).
QUERY_MAX_LENGTH = 100


def _without_accent(match: re.Match) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFD", match.group(0))
        if not unicodedata.combining(ch)
    )


def fold(text: str) -> str:
    """Case, width, Arabic letter variants, diacritics, Latin accents and
    punctuation folded; words separated by one space."""
    if not text:
        return ""
    return _fold(str(text))


# An import folds each name twice (its key and its search column) and the
# same cities and words on many rows.
@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_MARKS.sub("", text.translate(_ARABIC_FOLDS))
    text = _LATIN_ACCENTED.sub(_without_accent, text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def fold_query(text: str) -> str:
    """What a search box's text is looked up as: folded, at most
    QUERY_MAX_LENGTH characters."""
    return fold(str(text or "")[: QUERY_MAX_LENGTH * 2])[:QUERY_MAX_LENGTH].strip()


def search_text(parts: Iterable[str]) -> str:
    """The stored search column of a row: each part folded, empty and
    repeated parts dropped, in order."""
    folded = dict.fromkeys(f for f in (fold(p) for p in parts) if f)
    return SEPARATOR.join(folded)


def country_names(code: str) -> dict[str, str]:
    """The country's name in each language, from django-countries' catalogue."""
    names = {}
    for language in languages.codes():
        with translation.override(language):
            names[language] = str(Country(code).name)
    return names


def chapter_search_text(*, code: str, names: Iterable[str]) -> str:
    """A chapter is found by its country's ISO code, the country's name in
    every language, and its own name in every language."""
    return search_text([code, *country_names(code).values(), *names])
