"""Forms of membership: the shape of what organisers and representatives
send. The rules (who may, in which state) live in members.membership."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chapters.ids import DatabaseIdMultipleChoiceField

from .forms import OrganisationForm, RepresentativeForm
from .membership import REMIND_DAYS_DEFAULT, REMIND_DAYS_MAX
from .models import InitialTask, MembershipEvent, Organisation

Action = MembershipEvent.Action

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


class AnswerForm(forms.Form):
    """The representative's answer. Confirming needs the consent ticked and
    the person's role; consulting and declining need neither."""

    action = forms.ChoiceField(
        choices=[
            (Action.CONFIRM, _("Confirm and list")),
            (Action.CONSULT, _("I need to consult my organisation")),
            (Action.DECLINE, _("Decline")),
        ]
    )
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"dir": "auto", "autocomplete": "organization-title"}
        ),
        help_text=_("For example: director, programme manager, board member."),
    )
    consent = forms.BooleanField(label=_("I agree to this statement."), required=False)
    consent_version = forms.CharField(widget=forms.HiddenInput)
    tasks = DatabaseIdMultipleChoiceField(
        label=_("Initial tasks your organisation volunteers for (optional)"),
        queryset=InitialTask.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tasks is not None:
            self.fields["tasks"].queryset = tasks

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == Action.CONFIRM:
            if not cleaned.get("consent"):
                self.add_error(
                    "consent", _("To be listed, tick the consent statement.")
                )
            if not (cleaned.get("role") or "").strip():
                self.add_error(
                    "role", _("To be listed, tell us your role in the organisation.")
                )
        return cleaned


class RequestForm(forms.Form):
    organisations = DatabaseIdMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one organisation.")},
    )
    remind_after_days = forms.IntegerField(
        label=_("Remind those still consulting after (days)"),
        min_value=1,
        max_value=REMIND_DAYS_MAX,
        initial=REMIND_DAYS_DEFAULT,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations


class TaskForm(forms.ModelForm):
    class Meta:
        model = InitialTask
        fields = [
            "title_ar",
            "title_en",
            "description_ar",
            "description_en",
            "status",
            "lead",
        ]
        labels = {
            "title_ar": _("Title in Arabic"),
            "title_en": _("Title in English"),
            "description_ar": _("Description in Arabic"),
            "description_en": _("Description in English"),
        }
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members
        self.fields["lead"].required = False

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_ar") or cleaned.get("title_en")):
            raise ValidationError(
                _("Give the task a title in Arabic, in English, or both.")
            )
        return cleaned
