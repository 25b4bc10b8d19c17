"""The filters of the audit trail, a chapter's and the staff's."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
