from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import extensions
from .models import Chapter, OrganiserPreference

# Fields edited side by side, one column per language, in this order.
CONTENT_FIELDS = [
    ("name", _("Chapter name"), 200, False),
    ("introduction", _("Short introduction"), 2000, True),
    ("why_cld", _("Why community-led development matters here"), 4000, True),
    ("host_organisation", _("Coordinating organisation"), 200, False),
    ("co_chairs", _("Interim co-chairs (optional)"), 300, False),
    ("membership_expectations", _("What membership means"), 4000, True),
]
CONTENT_LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every time zone the system knows, read from disk once per process
    (a few milliseconds each time otherwise)."""
    return [(zone, zone) for zone in sorted(available_timezones())]


def organisation_kinds() -> list[tuple[str, str]]:
    """The types of organisation (the members app's), read when the form is
    used, so this module never imports members."""
    return extensions.public_members.get().kind_choices()


def no_control_characters(value: str) -> None:
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in value):
        raise ValidationError(_("Remove the invisible control characters."))


class ChapterContentForm(forms.Form):
    """Both languages of every content field, plus the lifecycle."""

    contact_email = forms.EmailField(
        label=_("Public contact e-mail"), required=False, max_length=254
    )
    status = forms.ChoiceField(label=_("Status"), choices=Chapter.Status.choices)
    first_meeting_on = forms.DateField(
        label=_("Date of the first meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    launched_on = forms.DateField(
        label=_("Launch date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        for field, label, max_length, long_text in CONTENT_FIELDS:
            for code, language in CONTENT_LANGUAGES:
                widget = (
                    forms.Textarea(attrs={"rows": 4, "dir": "auto", "lang": code})
                    if long_text
                    else forms.TextInput(attrs={"dir": "auto", "lang": code})
                )
                self.fields[f"{field}_{code}"] = forms.CharField(
                    label=_("%(field)s (%(language)s)")
                    % {"field": label, "language": language},
                    max_length=max_length,
                    required=False,
                    widget=widget,
                    validators=[no_control_characters],
                )

    def clean(self):
        data = super().clean()
        if not (data.get("name_ar") or data.get("name_en")):
            raise ValidationError(
                _("Give the chapter a name in at least one language.")
            )
        return data

    def rows(self) -> list[dict]:
        """Per content field: its label and, per language, the bound field and
        whether it is missing there while the other language has text (the
        name is needed in both, always)."""
        rows = []
        for field, label, _max, _long in CONTENT_FIELDS:
            bound = {code: self[f"{field}_{code}"] for code, _name in CONTENT_LANGUAGES}
            filled = {
                code: bool(str(bf.value() or "").strip()) for code, bf in bound.items()
            }
            cells = [
                {
                    "field": bound[code],
                    "language": name,
                    "missing": not filled[code]
                    and (field == "name" or any(filled.values())),
                }
                for code, name in CONTENT_LANGUAGES
            ]
            rows.append({"label": label, "cells": cells})
        return rows


class InterestForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "organization"}),
        validators=[no_control_characters],
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"), choices=organisation_kinds
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"}),
        validators=[no_control_characters],
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What your organisation does and why it is interested (optional)."),
        validators=[no_control_characters],
    )
    # The honeypot: hidden from people, filled in by bots.
    homepage = forms.CharField(
        label=pgettext_lazy("honeypot", "Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("homepage", "").strip())


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


class AuditFilterForm(forms.Form):
    """Filters of the audit trail; the choices are what the trail holds."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    actor = forms.CharField(
        label=_("Who made the change"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Part of an e-mail address or of a personal link's label."),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    chapter = forms.ChoiceField(label=_("Chapter"), required=False)

    def __init__(self, *args, actions, object_types, chapters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *actions]
        self.fields["object_type"].choices = [("", _("All kinds")), *object_types]
        if chapters is None:
            del self.fields["chapter"]
        else:
            self.fields["chapter"].choices = [("", _("All chapters")), *chapters]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "action": data["action"],
            "object_type": data["object_type"],
            "actor": data["actor"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("When should we e-mail you about answers from organisations?"),
        choices=OrganiserPreference.Delivery.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of my e-mails"), choices=CONTENT_LANGUAGES
    )


class QuietDaysForm(forms.Form):
    days = forms.IntegerField(
        label=_("Quiet after (days without activity)"),
        min_value=1,
        max_value=365,
        required=False,
    )
