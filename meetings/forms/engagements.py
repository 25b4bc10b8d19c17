"""The forms of engagements with government (the engagement, the list's
filters) and of government contacts with a champion's consent."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chapters.forms.base import (
    first_column,
    localized_text_fields,
    no_control_characters,
)
from chapters.languages import is_filled, localized

from ..models import EngagementKind, GovernmentContact
from ..services.engagements import SUMMARY_MAX_CHARS, TITLE_MAX_CHARS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EngagementForm(forms.Form):
    """Title and public summary in each of the site's languages, then the
    facts; the organisations and contacts offered are the chapter's own."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EngagementKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    institutions = forms.CharField(
        label=_("Institutions involved"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Ministries, parliament committees, agencies, UNDP..."),
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Government contacts"),
        queryset=GovernmentContact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Private to the chapter. A champion is named on the country page "
            "only with their recorded consent."
        ),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Member organisations taking part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    next_step = forms.CharField(
        label=_("Next step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    is_public = forms.BooleanField(
        label=_("Show on the country page"),
        required=False,
        help_text=_(
            "Visitors see the date, kind, title, public summary and the member "
            "organisations taking part, never the outcome, next step or "
            "contacts' details."
        ),
    )

    def __init__(self, *args, organisations, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        titles = localized_text_fields("title", _("Title"), maxlength=TITLE_MAX_CHARS)
        summaries = localized_text_fields(
            "summary",
            _("Public summary"),
            forms.Textarea,
            rows=3,
            maxlength=SUMMARY_MAX_CHARS,
        )
        fields = dict(self.fields)
        self.fields = {
            "kind": fields.pop("kind"),
            "happened_on": fields.pop("happened_on"),
            **titles,
            **summaries,
            **fields,
        }
        self.fields["organisations"].queryset = organisations
        self.fields["contacts"].queryset = contacts

    def clean(self):
        data = super().clean()
        if not is_filled(data, "title"):
            self.add_error(
                first_column("title"), _("Write the title in at least one language.")
            )
        for column in localized("title", "summary"):
            if data.get(column):
                try:
                    no_control_characters(data[column])
                except forms.ValidationError as error:
                    self.add_error(column, error)
        return data


class EngagementFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", pgettext_lazy("filter", "All kinds")), *EngagementKind.choices],
    )
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=[]
    )
    public = forms.ChoiceField(
        label=_("On the country page"),
        required=False,
        choices=[
            ("", pgettext_lazy("filter", "All")),
            ("yes", _("Shown")),
            ("no", _("Not shown")),
        ],
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", pgettext_lazy("filter", "All years")),
            *((year, str(year)) for year in years),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        public = {"yes": True, "no": False}.get(data.get("public") or "")
        return {
            "query": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "year": data.get("year"),
            "public": public,
        }


class GovernmentContactForm(forms.ModelForm):
    """A contact's details; the consent to be named is recorded (with how
    it was given) or withdrawn by its own fields, through the consent
    services."""

    record_consent = forms.BooleanField(
        label=_("They agreed to be named on the country page"),
        required=False,
    )
    consent_note = forms.CharField(
        label=_("How they agreed"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("For example: in writing, by e-mail on 3 May."),
    )
    withdraw_consent = forms.BooleanField(
        label=_("They no longer agree to be named"),
        required=False,
    )

    class Meta:
        model = GovernmentContact
        fields = ["name", "institution", "position", "email", "phone", "is_champion"]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "institution": forms.TextInput(attrs={"dir": "auto"}),
            "position": forms.TextInput(attrs={"dir": "auto"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.may_be_named:
            del self.fields["record_consent"]
            del self.fields["consent_note"]
        else:
            del self.fields["withdraw_consent"]

    def clean(self):
        data = super().clean()
        if data.get("record_consent") and not (data.get("consent_note") or "").strip():
            self.add_error(
                "consent_note",
                _("Say how the consent was given (in a meeting, by e-mail...)."),
            )
        return data
