"""Filters of the membership board: the organisation's name (both lists),
the membership state (the board) and the outreach stage (the organisations
that can be asked to confirm). A value that is not one of the choices is
dropped, not an error: the list is shown without that filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Prospect
from .outreach import SEARCH_MAX_CHARS


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Membership.State.choices],
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All stages")), *Prospect.Stage.choices],
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:SEARCH_MAX_CHARS]

    def values(self) -> dict:
        """The valid fields' values; an invalid one is left empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name, "") for name in self.fields}
