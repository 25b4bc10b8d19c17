"""Forms of a representative's own pages (and of the confirmation page): the
organisation's public profile and the representative's own contact details."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.forms.base import localized_widgets
from chapters.languages import localized

from .outreach import OrganisationForm, RepresentativeForm

# Exactly what the country page, the API and the CSV show of a member.
PUBLIC_FIELDS = [
    *localized("name"),
    "acronym",
    "kind",
    *localized("city"),
    "website",
    *localized("description"),
]

# The public short description, in every language.
DESCRIPTION_MAX_CHARS = 600


class PublicProfileForm(OrganisationForm):
    """What becomes public about the organisation, for its representative to
    correct before confirming, and to edit later from their profile: the
    organisers' organisation form without what stays with the chapter (focus
    areas, transliteration, public e-mail), and with short descriptions."""

    focus_sdgs = None
    tags = None

    class Meta(OrganisationForm.Meta):
        fields = PUBLIC_FIELDS
        widgets = {
            **localized_widgets("name"),
            **localized_widgets("city"),
            "website": forms.URLInput(attrs={"dir": "ltr"}),
            **localized_widgets(
                "description", forms.Textarea, rows=3, maxlength=DESCRIPTION_MAX_CHARS
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in localized("description"):
            self.fields[name].max_length = DESCRIPTION_MAX_CHARS

    def clean(self):
        cleaned = super().clean()
        for name in localized("description"):
            if len(cleaned.get(name) or "") > DESCRIPTION_MAX_CHARS:
                self.add_error(
                    name, _("Keep the short description under 600 characters.")
                )
        return cleaned


class OwnContactForm(RepresentativeForm):
    """A representative corrects their own contact details from their
    profile. The e-mail address is not here: it is what their account and
    personal links are tied to; nor is primary or alternate, which the
    chapter's organisers decide."""

    is_primary = None

    class Meta(RepresentativeForm.Meta):
        fields = ["name", "phone", "role", "language"]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "phone": forms.TextInput(attrs={"dir": "ltr"}),
            "role": forms.TextInput(attrs={"dir": "auto"}),
        }
