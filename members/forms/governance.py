"""The organisers' forms of a chapter's governance: appointing a member
organisation's representative to a role, and correcting a role's dates or
note. The rules (who may hold what) are members.services.governance's."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chapters.languages import field_in_language

from ..models import GovernanceArea, GovernanceRole

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def holder_choices(organisations) -> list:
    """ "Organisation — representative" pairs, grouped by organisation, from
    organisations with their `chapter_representatives` prefetched; each
    organisation also as a body, for the host organisation."""
    choices = [("", "---------")]
    for organisation in organisations:
        name = field_in_language(organisation, "name")[0]
        pairs = [
            (
                f"{organisation.pk}:{representative.pk}",
                gettext("%(organisation)s — %(representative)s")
                % {"organisation": name, "representative": representative.name},
            )
            for representative in organisation.chapter_representatives
        ]
        pairs.append(
            (
                f"{organisation.pk}:",
                gettext("%(organisation)s (the organisation as a body)")
                % {"organisation": name},
            )
        )
        choices.append((name, pairs))
    return choices


class GovernanceAssignForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("governance", "Role"), choices=GovernanceRole.Kind.choices
    )
    area = forms.ChoiceField(
        label=_("Area of joint work (focal points)"),
        choices=[("", "---------"), *GovernanceArea.choices],
        required=False,
    )
    holder = forms.ChoiceField(
        label=_("Member organisation and representative"),
        help_text=_(
            "Only confirmed member organisations can hold a role. The host "
            "organisation may hold it as a body, without a representative."
        ),
    )
    starts_on = forms.DateField(
        label=_("Since"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for today."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {
            organisation.pk: organisation for organisation in organisations
        }
        self.fields["holder"].choices = holder_choices(organisations)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == GovernanceRole.Kind.FOCAL_POINT and not cleaned.get(
            "area"
        ):
            self.add_error(
                "area", _("Choose the area of joint work of the focal point.")
            )
        holder = cleaned.get("holder")
        if holder:
            organisation_pk, _sep, representative_pk = holder.partition(":")
            organisation = self.organisations.get(int(organisation_pk))
            representative = next(
                (
                    r
                    for r in organisation.chapter_representatives
                    if str(r.pk) == representative_pk
                ),
                None,
            )
            if representative_pk and representative is None:
                raise ValidationError(
                    _("Choose a representative of this organisation in the chapter.")
                )
            cleaned["organisation"] = organisation
            cleaned["representative"] = representative
        return cleaned


class GovernanceRoleForm(forms.ModelForm):
    """A role's dates and note, corrected from the governance page."""

    class Meta:
        model = GovernanceRole
        fields = ["starts_on", "ends_on", "note"]
        labels = {
            "starts_on": _("Since"),
            "ends_on": _("Until"),
            "note": _("Note"),
        }
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A role cannot end before the day it starts."))
        return cleaned
