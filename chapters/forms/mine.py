"""A signed-in organiser's own settings: how and in which language the
portal e-mails them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import OrganiserPreference
from .base import CONTENT_LANGUAGES


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("When should we e-mail you about answers from organisations?"),
        choices=OrganiserPreference.Delivery.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of my e-mails"), choices=CONTENT_LANGUAGES
    )
