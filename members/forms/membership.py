"""Forms of membership: the representative's answer from a personal link and
the organisers' request. The rules (who may, in which state) live in
members.services.membership."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chapters.ids import DatabaseIdMultipleChoiceField

from ..models import InitialTask, MembershipEvent, Organisation
from ..services.membership_rules import REMIND_DAYS_DEFAULT, REMIND_DAYS_MAX

Action = MembershipEvent.Action


class AnswerForm(forms.Form):
    """The representative's answer. Confirming needs the consent ticked and
    the person's role; consulting and declining need neither."""

    action = forms.ChoiceField(
        choices=[
            (Action.CONFIRM, _("Confirm and list")),
            (Action.CONSULT, _("I need to consult my organisation")),
            (Action.DECLINE, _("Decline")),
        ]
    )
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"dir": "auto", "autocomplete": "organization-title"}
        ),
        help_text=_("For example: director, programme manager, board member."),
    )
    consent = forms.BooleanField(label=_("I agree to this statement."), required=False)
    consent_version = forms.CharField(widget=forms.HiddenInput)
    tasks = DatabaseIdMultipleChoiceField(
        label=_("Initial tasks your organisation volunteers for (optional)"),
        queryset=InitialTask.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tasks is not None:
            self.fields["tasks"].queryset = tasks

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == Action.CONFIRM:
            if not cleaned.get("consent"):
                self.add_error(
                    "consent", _("To be listed, tick the consent statement.")
                )
            if not (cleaned.get("role") or "").strip():
                self.add_error(
                    "role", _("To be listed, tell us your role in the organisation.")
                )
        return cleaned


class RequestForm(forms.Form):
    organisations = DatabaseIdMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one organisation.")},
    )
    remind_after_days = forms.IntegerField(
        label=_("Remind those still consulting after (days)"),
        min_value=1,
        max_value=REMIND_DAYS_MAX,
        initial=REMIND_DAYS_DEFAULT,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
