"""Text typed by people, set apart from the sentence around it.

A name or title in one script inside a sentence in another reorders its
neighbours: an English title ending in a full stop inside Arabic reads
".The Irbid network … visit". `isolated()` wraps such a value in the
first-strong isolate marks (U+2068 … U+2069), which browsers and mail
programs honour in plain text (a message, a page title, a plain-text
e-mail); templates use `{{ value|isolate }}` (chapters/templatetags/bidi.py),
a <bdi> element in HTML. Direction marks the person typed that could leak
out of the value are removed first.
"""

from config.mail import BIDI_CONTROLS

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def cleaned(value) -> str:
    """The value as text without embeddings, overrides or isolates."""
    return BIDI_CONTROLS.sub("", str(value))


def isolated(value) -> str:
    """The value between isolate marks; "" for an empty value."""
    if value in (None, ""):
        return ""
    return f"{FIRST_STRONG_ISOLATE}{cleaned(value)}{POP_DIRECTIONAL_ISOLATE}"
