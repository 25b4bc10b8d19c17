"""The form of a decision or next step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from ..services.decisions import DECISION_MAX_CHARS


class DecisionForm(forms.Form):
    text_ar = forms.CharField(
        label=_("Decision or next step (Arabic)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "dir": "rtl", "maxlength": DECISION_MAX_CHARS}
        ),
    )
    text_en = forms.CharField(
        label=_("Decision or next step (English)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "dir": "ltr", "maxlength": DECISION_MAX_CHARS}
        ),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"),
        queryset=None,
        required=False,
        empty_label=_("(not decided yet)"),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name_ar", "name_en")

    def clean(self):
        data = super().clean()
        if not (data.get("text_ar", "").strip() or data.get("text_en", "").strip()):
            self.add_error("text_ar", _("Write the decision in at least one language."))
        return data
