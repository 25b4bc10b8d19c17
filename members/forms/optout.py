"""The public opt-out page's form: an optional reason."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OptOutForm(forms.Form):
    reason = forms.CharField(
        label=_("Would you tell us why? (optional)"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
