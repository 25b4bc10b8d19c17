"""What the portal's forms share: the languages content is written in
(CONTENT_LANGUAGES), the widgets and labels of a translated field in each of
them (`localized_widgets`, `localized_labels`, `localized_text_fields`), and the check against
invisible control characters in typed text."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import languages
from ..languages import Language

CONTENT_LANGUAGES = Language.choices


class LanguagesField(forms.TypedMultipleChoiceField):
    """Some of the site's languages, ticked (a JSON list of codes such as a
    chapter's languages or Meeting.working_languages): at least one, given
    in the settings' order whatever order the browser sent them in."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Language.choices)
        super().__init__(**kwargs)

    def clean(self, value):
        return languages.in_order(super().clean(value))


class DefaultLanguageField(forms.ChoiceField):
    """Which of the chapter's ticked languages comes first (goes with a
    LanguagesField named "languages"; `put_default_first` checks the pair)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Language.choices)
        # Left out, the ticked languages keep the settings' order.
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Default language"))
        kwargs.setdefault(
            "help_text",
            _(
                "What visitors read when they ask for a language the chapter "
                "does not publish in."
            ),
        )
        super().__init__(**kwargs)


def put_default_first(form: forms.Form, data: dict) -> None:
    """A chapter's languages as stored: the default first, then the others
    in the settings' order."""
    chosen = data.get("languages") or []
    default = data.get("default_language")
    if not chosen or not default:
        return
    if default not in chosen:
        form.add_error(
            "default_language",
            _("Choose the default language among the ticked ones."),
        )
        return
    data["languages"] = [default, *(code for code in chosen if code != default)]


def localized_widgets(
    field: str, widget: type[forms.Widget] = forms.TextInput, **attrs
) -> dict[str, forms.Widget]:
    """One widget per language of a translated field, each written in that
    language's direction and marked with its language."""
    return {
        f"{field}_{code}": widget(
            attrs={**attrs, "dir": languages.direction(code), "lang": code}
        )
        for code in languages.codes()
    }


def localized_labels(field: str, label) -> dict[str, str]:
    """ "Title (Arabic)", "Title (English)": one label per language."""
    return {
        f"{field}_{code}": languages.label_in(label, code) for code in languages.codes()
    }


def localized_text_fields(
    field: str, label, widget: type[forms.Widget] = forms.TextInput, **attrs
) -> dict[str, forms.CharField]:
    """One optional text input per language of a translated field, labelled
    and written in its language; the form says which must be filled."""
    widgets = localized_widgets(field, widget, **attrs)
    labels = localized_labels(field, label)
    return {
        column: forms.CharField(
            label=labels[column], required=False, widget=widgets[column]
        )
        for column in languages.localized(field)
    }


def first_column(field: str) -> str:
    """The column an "in at least one language" error is shown on."""
    return languages.localized(field)[0]


def no_control_characters(value: str) -> None:
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in value):
        raise ValidationError(_("Remove the invisible control characters."))
