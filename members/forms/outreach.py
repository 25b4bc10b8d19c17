"""Forms of the outreach pages: an organisation and its representatives, the
list's filters, a prospect's follow-up and adding an address to the
do-not-contact list. They check the shape of what was typed; the services
decide what happens."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chapters import languages
from chapters.bidi import isolated
from chapters.forms.base import localized_labels, localized_widgets
from chapters.languages import default, is_filled, localized

from ..models import SDG, Language, Organisation, Prospect, Representative
from ..validation import logo_prepare, phone_example, phone_normalise
from .languages import TranslatedFieldsMixin


class OrganisationForm(TranslatedFieldsMixin, forms.ModelForm):
    focus_sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=SDG.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Other focus areas"),
        required=False,
        help_text=_("Separate them with commas, for example: water, youth."),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 2 MB."),
    )

    class Meta:
        model = Organisation
        fields = [
            *localized("name"),
            "name_transliteration",
            "acronym",
            "kind",
            *localized("city"),
            "website",
            "public_email",
            *localized("description"),
            "focus_sdgs",
            "tags",
        ]
        labels = {
            **localized_labels("name", _("Name")),
            **localized_labels("city", _("City")),
            **localized_labels("description", _("Short description")),
        }
        widgets = {
            **localized_widgets("name"),
            **localized_widgets("city"),
            **localized_widgets("description", forms.Textarea, rows=3),
            "website": forms.URLInput(attrs={"dir": "ltr"}),
            "public_email": forms.EmailInput(attrs={"dir": "ltr"}),
        }

    translated = ("name", "city", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
        self.prepared_logo = None

    def clean_tags(self) -> list[str]:
        parts = self.cleaned_data["tags"].replace("،", ",").split(",")
        return [part.strip() for part in parts if part.strip()][:20]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            self.prepared_logo = logo_prepare(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        if not is_filled(cleaned, "name"):
            raise ValidationError(
                _("Give the organisation's name in at least one language."),
                code="name_missing",
            )
        return cleaned

    def service_values(self) -> dict:
        return {
            field: self.cleaned_data[field]
            for field in self.Meta.fields
            if field in self.cleaned_data
        }


class RepresentativeForm(forms.ModelForm):
    is_primary = forms.TypedChoiceField(
        label=_("Contact"),
        choices=[(True, _("Primary contact")), (False, _("Alternate contact"))],
        coerce=lambda value: value in (True, "True"),
        initial=True,
    )

    class Meta:
        model = Representative
        fields = ["name", "email", "phone", "role", "language", "is_primary"]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, region: str = "", chapter_languages=None, **kwargs):
        self.region = region
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            example = phone_example(region)
            self.fields["phone"].help_text = (
                _("With the country code, for example %(example)s.")
                % {"example": isolated(example)}
                if example
                else _("With the country code.")
            )
        if chapter_languages and "language" in self.fields:
            current = getattr(self.instance, "language", "")
            self.fields["language"].choices = languages.choices(
                [*chapter_languages, *([current] if current else [])]
            )

    def clean_phone(self) -> str:
        return phone_normalise(self.cleaned_data.get("phone", ""), region=self.region)

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class FirstRepresentativeForm(RepresentativeForm):
    """The optional first contact on the "add an organisation" page."""

    prefix = "contact"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["language"].initial = default()

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("email") or cleaned.get("phone")) and not cleaned.get("name"):
            self.add_error("name", _("Give the representative's name."))
        return cleaned


class ProspectForm(forms.ModelForm):
    class Meta:
        model = Prospect
        fields = ["stage", "owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4, "dir": "auto"})}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.email


SEARCH_MAX_CHARS = 200


class OutreachFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *Organisation.Kind.choices],
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All stages")), *Prospect.Stage.choices],
    )
    city = forms.CharField(label=_("City"), required=False)
    language = forms.ChoiceField(
        label=_("Representative's language"),
        required=False,
        choices=[("", _("Any language")), *Language.choices],
    )
    has_email = forms.ChoiceField(
        label=_("E-mail"),
        required=False,
        choices=[
            ("", _("With or without e-mail")),
            ("yes", _("Has an e-mail address")),
            ("no", _("No e-mail address")),
        ],
    )

    def clean_q(self) -> str:
        # Longer text names no organisation, and a database's LIKE patterns
        # have a limit (SQLite's is 50,000 bytes): a pasted page is cut.
        return self.cleaned_data["q"][:SEARCH_MAX_CHARS]

    def clean_city(self) -> str:
        return self.cleaned_data["city"][:SEARCH_MAX_CHARS]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        has_email = {"yes": True, "no": False}.get(data["has_email"])
        return {
            "query": data["q"],
            "kind": data["kind"],
            "stage": data["stage"],
            "city": data["city"],
            "language": data["language"],
            "has_email": has_email,
        }


class DoNotContactForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (for example: asked by phone)"),
        max_length=255,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
