"""The form of an agenda item."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AgendaItem


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title_ar",
            "title_en",
            "notes_ar",
            "notes_en",
            "duration_minutes",
            "presenter",
        ]
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
            "notes_ar": forms.Textarea(attrs={"rows": 2, "dir": "rtl"}),
            "notes_en": forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
            "presenter": forms.TextInput(attrs={"dir": "auto"}),
        }
        labels = {
            "title_ar": _("Title (Arabic)"),
            "title_en": _("Title (English)"),
            "notes_ar": _("Notes (Arabic)"),
            "notes_en": _("Notes (English)"),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("title_ar") or data.get("title_en")):
            self.add_error("title_ar", _("Give a title in at least one language."))
        return data
