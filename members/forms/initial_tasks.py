"""The organisers' form for a chapter's initial task."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chapters.forms.base import localized_labels, localized_widgets
from chapters.languages import is_filled, localized

from ..models import InitialTask
from .languages import TranslatedFieldsMixin


class TaskForm(TranslatedFieldsMixin, forms.ModelForm):
    translated = ("title", "description")

    class Meta:
        model = InitialTask
        fields = [*localized("title", "description"), "status", "lead"]
        labels = {
            **localized_labels("title", _("Title")),
            **localized_labels("description", _("Description")),
        }
        widgets = {
            **localized_widgets("title"),
            **localized_widgets("description", forms.Textarea, rows=3),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members
        self.fields["lead"].required = False

    def clean(self):
        cleaned = super().clean()
        if not is_filled(cleaned, "title"):
            raise ValidationError(_("Give a title in at least one language."))
        return cleaned
