"""The form of the minutes' summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.minutes import SUMMARY_MAX_CHARS


class SummaryForm(forms.Form):
    summary_ar = forms.CharField(
        label=_("Public summary (Arabic)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "rtl", "maxlength": SUMMARY_MAX_CHARS}
        ),
    )
    summary_en = forms.CharField(
        label=_("Public summary (English)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "dir": "ltr", "maxlength": SUMMARY_MAX_CHARS}
        ),
    )
    summary_is_public = forms.BooleanField(
        label=_("Show the summary on the country page once the minutes are published"),
        required=False,
    )
