"""Shape checks shared by the forms and the import, so a phone number or a
logo is accepted or refused by the same rule wherever it arrives."""

from io import BytesIO

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 20_000_000  # refuse decompression bombs before decoding
LOGO_SIDE = 512


def phone_normalise(raw: str, *, region: str = "") -> str:
    """A phone number in E.164 ("+962791234567"); national numbers are read
    in the chapter's country. Raises ValidationError when it is not one."""
    raw = str(raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("“%(phone)s” is not a phone number."),
            code="invalid_phone",
            params={"phone": raw},
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(phone)s” is not a phone number."),
            code="invalid_phone",
            params={"phone": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_example(region: str) -> str:
    """A mobile number of the country as people write it with its country
    code ("+212 6 50 12 34 56" in Morocco), for a field's hint; "" when the
    country has none."""
    number = phonenumbers.example_number_for_type(
        (region or "").upper() or None, phonenumbers.PhoneNumberType.MOBILE
    )
    if number is None:
        return ""
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def phone_display(e164: str) -> str:
    """ "+962791234567" -> "+962 7 9123 4567" for people to read."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def logo_prepare(upload) -> ContentFile:
    """Check that the upload is a real, reasonably sized image and return it
    re-encoded as a PNG no larger than LOGO_SIDE on either side. Re-encoding
    drops anything that is not pixels (metadata, scripts in SVG-like files)."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is larger than 2 MB; please upload a smaller image."),
            code="logo_too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _("The logo has too many pixels; please upload a smaller image."),
                    code="logo_too_many_pixels",
                )
            image.load()
            image = image.convert("RGBA")
            image.thumbnail((LOGO_SIDE, LOGO_SIDE))
            output = BytesIO()
            image.save(output, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The logo must be a PNG, JPEG, GIF or WebP image."),
            code="logo_not_image",
        ) from error
    return ContentFile(output.getvalue(), name="logo.png")
