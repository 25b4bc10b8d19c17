"""Staff pages: the number of days without activity after which a
chapter counts as quiet, opening a chapter, and the design page's
specimen form."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .. import times
from ..languages import localized
from ..models import Chapter
from ..services import MAX_FIRST_ORGANISERS
from .base import (
    DefaultLanguageField,
    LanguagesField,
    first_column,
    localized_text_fields,
    put_default_first,
)


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


class ChapterOpenForm(forms.Form):
    """Staff open a chapter: the country (one without a chapter), its name
    in its languages, the languages, the time zone (its country's first)
    and the first organisers to invite, one address per line."""

    country = forms.ChoiceField(label=_("Country"))
    languages = LanguagesField(
        label=_("Languages of the chapter"),
        error_messages={"required": _("Choose at least one of the site's languages.")},
    )
    default_language = DefaultLanguageField()
    time_zone = forms.ChoiceField(label=_("Time zone"))
    organisers = forms.CharField(
        label=_("Organisers to invite"),
        help_text=_(
            "One e-mail address per line. Each receives a personal link that "
            "makes them an organiser of the chapter."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(Chapter.objects.values_list("country", flat=True))
        self.fields["country"].choices = [
            ("", "—"),
            *((code, name) for code, name in countries if code not in taken),
        ]
        country = str(self.data.get("country") or self.initial.get("country") or "")
        self.fields["time_zone"].choices = times.zone_choices(
            country=country, other_countries=taken
        )
        self.fields = {
            "country": self.fields.pop("country"),
            **localized_text_fields("name", _("Name"), maxlength=200),
            **self.fields,
        }

    @property
    def name_fields(self) -> list[forms.BoundField]:
        return [self[column] for column in localized("name")]

    def clean_organisers(self) -> list[str]:
        lines = [
            line.strip().lower()
            for line in self.cleaned_data["organisers"].splitlines()
            if line.strip()
        ]
        for line in lines:
            try:
                validate_email(line)
            except ValidationError:
                raise ValidationError(
                    _("“%(value)s” is not an e-mail address."),
                    params={"value": line},
                ) from None
        if len(lines) > MAX_FIRST_ORGANISERS:
            raise ValidationError(
                _("Invite at most %(limit)s organisers here; add others later."),
                params={"limit": MAX_FIRST_ORGANISERS},
            )
        return lines

    def clean(self):
        data = super().clean()
        chosen = data.get("languages") or []
        if chosen and not any(data.get(f"name_{code}") for code in chosen):
            self.add_error(
                first_column("name"),
                _("Give the chapter's name in at least one of its languages."),
            )
        put_default_first(self, data)
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "country": data["country"],
            "languages": data["languages"],
            "time_zone": data["time_zone"],
            **{column: data.get(column) or "" for column in localized("name")},
        }
