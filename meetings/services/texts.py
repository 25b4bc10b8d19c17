"""The plain-text rules of what organisers and invitees write (notes,
ideas, decisions, the minutes' summary): stored as typed minus control
characters, in NFC, within a length limit with a translated message."""

import re
import unicodedata

from django.utils.translation import gettext as _

from chapters import languages

from .errors import MeetingError

LANGUAGES = tuple(languages.codes())

# C0/C1 control characters other than tab and newline: PostgreSQL refuses
# NUL in text, and the others only hide or garble what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_ARABIC = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def clean_text(text: str | None) -> str:
    """Line endings made \\n, control characters removed, NFC, and blank
    space around the whole text dropped; the writer's own line breaks and
    direction marks stay."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return text.strip()


def detect_language(text: str) -> str:
    """The site language whose letters the text mostly has (the earlier in
    the settings' order on a tie); the default language when it has none."""
    # The one place where a language code stands for a script: which language
    # a text is written in can only be told from its letters. Latin letters
    # are English's while English is the only site language written in them;
    # a language sharing a script has to be chosen by the writer instead.
    scripts = {"ar": _ARABIC, "en": _LATIN}
    counts = {
        code: len(scripts[code].findall(text))
        for code in languages.codes()
        if code in scripts
    }
    most = max(counts, key=counts.get, default=None)
    return most if most and counts[most] else languages.default()


def check_length(text: str, limit: int, field: str) -> None:
    if len(text) > limit:
        raise MeetingError(
            _(
                "This text has %(count)s characters; the limit is %(limit)s. "
                "Please shorten it or split it."
            )
            % {"count": len(text), "limit": limit},
            field=field,
        )
