"""Database ids that arrive from outside (addresses and forms), with one rule
for their range: a number beyond the 64-bit range of a BigAutoField names no
row. Left to the database it is an error (SQLite cannot even bind it), so a
typed or forged 25-digit id answered 500 instead of 404.

Importing this module registers the `id` path converter; every urls.py that
names a database id imports it and writes `<id:pk>`."""

from django import forms
from django.urls import register_converter

MAX_DATABASE_ID = 2**63 - 1


def is_database_id(value) -> bool:
    """True for a whole number a BigAutoField can hold (as int or digits)."""
    text = str(value).strip()
    return text.isascii() and text.isdecimal() and 0 < int(text) <= MAX_DATABASE_ID


class DatabaseIdConverter:
    """Like Django's `int`, but a number beyond the range does not match, so
    the address is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        if not is_database_id(value):
            raise ValueError(value)
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(DatabaseIdConverter, "id")


class DatabaseIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses a value no row can have with
    its usual "not one of the available choices" error, before the value
    reaches the database."""

    def _check_values(self, value):
        for pk in value:
            if not is_database_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)
