"""The one rule for "is this the same organisation?": names compared after
folding away the differences that people type by accident, and websites
compared by their domain.

Both keys are stored on Organisation (indexed), so a duplicate is found by
an equality lookup when adding one organisation or importing thousands.
The folding itself is chapters.folding's, shared with every search.
"""

from urllib.parse import urlsplit

from chapters import languages
from chapters.folding import fold, search_text

__all__ = [
    "COMMON_PREFIXES",
    "fold",
    "name_key",
    "organisation_search_text",
    "website_domain",
]

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


def organisation_search_text(organisation) -> str:
    """Organisation.search_text: its name in every language, transliteration,
    acronym and city in every language, folded. Takes any object with those
    attributes (a migration's historical model too)."""
    codes = languages.codes()
    return search_text(
        [
            *(getattr(organisation, f"name_{code}", "") or "" for code in codes),
            organisation.name_transliteration or "",
            organisation.acronym or "",
            *(getattr(organisation, f"city_{code}", "") or "" for code in codes),
        ]
    )
