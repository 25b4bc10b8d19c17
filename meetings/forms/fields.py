"""Form fields the meetings' forms share."""

from django import forms

from chapters import languages
from chapters.languages import Language


class LanguagesField(forms.TypedMultipleChoiceField):
    """Some of the site's languages, ticked (a JSON list of codes such as
    Meeting.working_languages): at least one, given in the settings' order
    whatever order the browser sent them in."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Language.choices)
        super().__init__(**kwargs)

    def clean(self, value):
        return languages.in_order(super().clean(value))
