"""Filters of the organiser lists of a meeting: its invitations (on the
meeting's page) and the outreach list's organisations on the invite page.
A value that is not one of the choices is dropped, not an error: the list
is shown without that filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Prospect

from ..models import Invitation

SEARCH_MAX_CHARS = 200


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)

    def clean_q(self) -> str:
        # Longer text names nobody; a pasted page is cut.
        return self.cleaned_data["q"].strip()[:SEARCH_MAX_CHARS]

    def filters(self) -> dict:
        """The valid fields' values, by the selector's argument names."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            ("query" if name == "q" else name): data.get(name, "")
            for name in self.fields
        }

    @property
    def filtered(self) -> bool:
        return any(self.filters().values())

    @property
    def chosen(self) -> list[tuple[str, str]]:
        """(field name, value) of the filters in use, for a form that must
        carry them (the invite form's "everyone")."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return [(name, data[name]) for name in self.fields if data.get(name)]


class InvitationFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Invitation.Status.choices],
    )


class CandidateFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *Organisation.Kind.choices],
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All stages")), *Prospect.Stage.choices],
    )
