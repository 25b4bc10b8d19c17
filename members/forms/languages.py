"""What the members app's forms with translated fields share: their inputs
grouped by field, one per language, so that templates lay out every
language the site has without naming any."""

from django import forms

from chapters.languages import localized


class TranslatedFieldsMixin:
    """`{% for field in form.in_languages.name %}`: the inputs of each field
    in `translated`, in the languages' order, those the form has."""

    translated: tuple[str, ...] = ()

    @property
    def in_languages(self) -> dict[str, list[forms.BoundField]]:
        return {
            field: [
                self[column] for column in localized(field) if column in self.fields
            ]
            for field in self.translated
        }
