"""A chapter's organisers: inviting a co-organiser by e-mail, and staff
giving the role to an existing account."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .base import CONTENT_LANGUAGES


class OrganiserInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the co-organiser"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=CONTENT_LANGUAGES
    )


class OrganiserGrantForm(forms.Form):
    """Staff only: give the role to someone who already has an account."""

    email = forms.EmailField(
        label=_("E-mail of the account"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: it shares the page with the invitation form, whose
        # field has the same name.
        kwargs.setdefault("auto_id", "id_grant_%s")
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(
                _("No account uses this e-mail address. Invite the person instead.")
            )
        self.user = user
        return email
