"""The form of an agenda item."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.forms.base import first_column, localized_labels, localized_widgets
from chapters.languages import is_filled, localized

from ..models import AgendaItem


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            *localized("title", "notes"),
            "duration_minutes",
            "presenter",
        ]
        widgets = {
            **localized_widgets("title"),
            **localized_widgets("notes", forms.Textarea, rows=2),
            "presenter": forms.TextInput(attrs={"dir": "auto"}),
        }
        labels = {
            **localized_labels("title", _("Title")),
            **localized_labels("notes", _("Notes")),
        }

    def clean(self):
        data = super().clean()
        if not is_filled(data, "title"):
            self.add_error(
                first_column("title"), _("Give a title in at least one language.")
            )
        return data
