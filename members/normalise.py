"""The one rule for "is this the same organisation?": names compared after
folding away the differences that people type by accident, and websites
compared by their domain.

Both keys are stored on Organisation (indexed), so a duplicate is found by
an equality lookup when adding one organisation or importing thousands.
"""

import re
import unicodedata
from urllib.parse import urlsplit

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


def _without_accent(match: re.Match) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFD", match.group(0))
        if not unicodedata.combining(ch)
    )


# Words that open many organisations' names and say nothing about which one
# it is; written as they look after folding (ة became ه).
COMMON_PREFIXES = frozenset(
    {
        "جمعيه",
        "مؤسسه",
        "منظمه",
        "the",
        "association",
        "fondation",
        "foundation",
        "organisation",
        "organization",
    }
)


def fold(text: str) -> str:
    """Case, width, Arabic letter variants, diacritics, Latin accents and
    punctuation folded; words separated by one space. Used for search as
    well as for keys."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = _ARABIC_MARKS.sub("", text.translate(_ARABIC_FOLDS))
    text = _LATIN_ACCENTED.sub(_without_accent, text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def name_key(name: str) -> str:
    """The duplicate-detection key of an organisation's name: folded, with
    the common opening words removed (but never every word)."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in COMMON_PREFIXES:
        words = words[1:]
    return " ".join(words)


def website_domain(url: str) -> str:
    """ "https://www.Example.org/about" -> "example.org"; "" when none."""
    url = str(url or "").strip()
    if not url:
        return ""
    if "//" not in url:
        url = f"//{url}"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    # A host never holds white space: "example.org /about" is "example.org".
    host = (host.split() or [""])[0].lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host
