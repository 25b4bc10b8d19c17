"""Staff pages: the number of days without activity after which a
chapter counts as quiet."""

from django import forms
from django.utils.translation import gettext_lazy as _


class QuietDaysForm(forms.Form):
    days = forms.IntegerField(
        label=_("Quiet after (days without activity)"),
        min_value=1,
        max_value=365,
        required=False,
    )
