"""The chapter's public content, edited side by side in each language,
with its contact address, lifecycle dates and time zone (chosen among the
zones of the movement's countries, named for people: chapters.times)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import times
from ..languages import is_filled
from ..models import Chapter
from .base import (
    CONTENT_LANGUAGES,
    DefaultLanguageField,
    LanguagesField,
    no_control_characters,
    put_default_first,
)

# Fields edited side by side, one column per language, in this order.
CONTENT_FIELDS = [
    ("name", _("Chapter name"), 200, False),
    ("introduction", _("Short introduction"), 2000, True),
    ("why_cld", _("Why community-led development matters here"), 4000, True),
    ("host_organisation", _("Coordinating organisation"), 200, False),
    ("co_chairs", _("Interim co-chairs (optional)"), 300, False),
    ("membership_expectations", _("What membership means"), 4000, True),
]


class ChapterContentForm(forms.Form):
    """Both languages of every content field, plus the lifecycle."""

    contact_email = forms.EmailField(
        label=_("Public contact e-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
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
    languages = LanguagesField(
        label=_("Languages of the chapter"),
        help_text=_(
            "The languages the chapter works and publishes in: its page is "
            "expected in each of them, and its people choose among them."
        ),
        error_messages={"required": _("Choose at least one of the site's languages.")},
    )
    default_language = DefaultLanguageField()
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_(
            "Times on the chapter's pages and in its e-mails are shown in this "
            "time zone."
        ),
    )

    def __init__(self, *args, country: str = "", chapter_languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The languages the chapter publishes in: a field empty in one of
        # them is marked; the others may stay empty.
        self.chapter_languages = list(chapter_languages) or [
            code for code, _name in CONTENT_LANGUAGES
        ]
        current = str(self.initial.get("time_zone") or "")
        # The zones of the chapter's country first (named by the view, else
        # the country of the zone it has), then those of the other chapters'
        # countries: a short list in the page's language, not 600 raw ids.
        self.fields["time_zone"].choices = times.zone_choices(
            country=country or times.zone_country(current),
            other_countries=Chapter.objects.values_list("country", flat=True),
            current=current,
        )
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
        if not is_filled(data, "name"):
            raise ValidationError(
                _("Give the chapter a name in at least one language.")
            )
        put_default_first(self, data)
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
                    "missing": code in self.chapter_languages
                    and not filled[code]
                    and (field == "name" or any(filled.values())),
                }
                for code, name in CONTENT_LANGUAGES
            ]
            rows.append({"label": label, "cells": cells})
        return rows
