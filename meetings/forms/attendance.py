"""The check-in form for someone who came without an invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Language, Organisation


class WalkInForm(forms.Form):
    """Someone who came without an invitation. The organisation is searched
    among the outreach list while typing (a datalist); one that is not on
    the list is added to it only when the organiser says so."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"dir": "auto", "list": "organisation-names", "autocomplete": "off"}
        ),
    )
    new_organisation = forms.BooleanField(
        label=_("It is not on the outreach list: add it"), required=False
    )
    kind = forms.ChoiceField(
        label=_("Type of the new organisation"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.NATIONAL_NGO,
        required=False,
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("With an address, the minutes reach them too."),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=Language.choices, required=False
    )
    name_in_minutes = forms.BooleanField(
        label=_("Agrees to be named in the minutes"), required=False
    )
