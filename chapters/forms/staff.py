"""Staff pages: the number of days without activity after which a
chapter counts as quiet, and the design page's specimen form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Chapter


class QuietDaysForm(forms.Form):
    days = forms.IntegerField(
        label=_("Quiet after (days without activity)"),
        min_value=1,
        max_value=365,
        required=False,
    )


class DesignSampleForm(forms.Form):
    """The form of the staff design page: a specimen, never submitted. Its
    labels are the portal's own, so the page needs no new words."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Chapter.Status.choices)
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
