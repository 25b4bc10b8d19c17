"""The form of a decision or next step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.forms.base import first_column, localized_text_fields
from chapters.languages import is_filled, localized
from members.models import Organisation

from ..services.decisions import DECISION_MAX_CHARS


class DecisionForm(forms.Form):
    """The text in each of the site's languages (text_ar, text_en, ...:
    the decision's translated columns, first in the form), the owner and the
    due date."""

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
        texts = localized_text_fields(
            "text",
            _("Decision or next step"),
            forms.Textarea,
            rows=2,
            maxlength=DECISION_MAX_CHARS,
        )
        self.fields = {**texts, **self.fields}
        self.fields["owner"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by(*localized("name"))

    @property
    def text_fields(self) -> list[forms.BoundField]:
        """The text's fields, one per language, for the template to loop."""
        return [self[column] for column in localized("text")]

    def clean(self):
        data = super().clean()
        if not is_filled(data, "text"):
            self.add_error(
                first_column("text"), _("Write the decision in at least one language.")
            )
        return data
