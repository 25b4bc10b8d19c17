"""What several forms of the chapters app share: the languages content is
written in (CONTENT_LANGUAGES) and the check against invisible control
characters in typed text."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..languages import Language

CONTENT_LANGUAGES = Language.choices


def no_control_characters(value: str) -> None:
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in value):
        raise ValidationError(_("Remove the invisible control characters."))
