"""The public interest form an organisation fills in to join a chapter,
with its honeypot field against bots."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import extensions
from .base import no_control_characters


def organisation_kinds() -> list[tuple[str, str]]:
    """The types of organisation (the members app's), read when the form is
    used, so this module never imports members."""
    return extensions.public_members.get().kind_choices()


class InterestForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "organization"}),
        validators=[no_control_characters],
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"), choices=organisation_kinds
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"}),
        validators=[no_control_characters],
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What your organisation does and why it is interested (optional)."),
        validators=[no_control_characters],
    )
    # The honeypot: hidden from people, filled in by bots.
    homepage = forms.CharField(
        label=pgettext_lazy("honeypot", "Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("homepage", "").strip())
