"""Forms of a representative's own pages (and of the confirmation page): the
organisation's public profile and the representative's own contact details."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .outreach import OrganisationForm, RepresentativeForm

# Exactly what the country page, the API and the CSV show of a member.
PUBLIC_FIELDS = [
    "name_ar",
    "name_en",
    "acronym",
    "kind",
    "city_ar",
    "city_en",
    "website",
    "description_ar",
    "description_en",
]


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
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "city_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "city_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "website": forms.URLInput(attrs={"dir": "ltr"}),
            "description_ar": forms.Textarea(
                attrs={"rows": 3, "dir": "rtl", "lang": "ar", "maxlength": 600}
            ),
            "description_en": forms.Textarea(
                attrs={"rows": 3, "dir": "ltr", "lang": "en", "maxlength": 600}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("description_ar", "description_en"):
            self.fields[name].max_length = 600

    def clean(self):
        cleaned = super().clean()
        for name in ("description_ar", "description_en"):
            if len(cleaned.get(name) or "") > 600:
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
            "role": forms.TextInput(attrs={"dir": "auto"}),
        }
