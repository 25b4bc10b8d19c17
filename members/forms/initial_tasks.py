"""The organisers' form for a chapter's initial task."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import InitialTask


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
