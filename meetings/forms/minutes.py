"""The form of the minutes' summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.forms.base import localized_text_fields
from chapters.languages import localized

from ..services.minutes import SUMMARY_MAX_CHARS


class SummaryForm(forms.Form):
    """The summary in each of the site's languages (summary_ar, summary_en,
    ...: the translated columns, first in the form) and whether it shows."""

    summary_is_public = forms.BooleanField(
        label=_("Show the summary on the country page once the minutes are published"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        summaries = localized_text_fields(
            "summary",
            _("Public summary"),
            forms.Textarea,
            rows=3,
            maxlength=SUMMARY_MAX_CHARS,
        )
        self.fields = {**summaries, **self.fields}

    @property
    def summary_fields(self) -> list[forms.BoundField]:
        """The summary's fields, one per language, for the template to loop."""
        return [self[column] for column in localized("summary")]
